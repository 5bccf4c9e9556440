// Every page of the task list, one after the other (Octokit's paginate.iterator, Azure's core-paging).
import { MalformedResponseError, safeUrl, type CallOptions } from '@vmtasks/core';
import type { PageRequest, TaskDescription, TaskDescriptionPage } from './model.js';

/** At most this many pages by default: 10,000 pages of the manager's size is far beyond any real history. */
export const DEFAULT_MAX_PAGES = 10_000;

export interface IterateOptions extends CallOptions {
  /** Stop with `MalformedResponseError` after this many pages (a server that never ends). Default 10,000. */
  maxPages?: number;
}

/**
 * The tasks of every page from `request.page` (default 0) on, fetched one page at a time as the
 * loop asks for them: memory holds one page. It ends after the page `totalPages` names as the
 * last, or at the first empty page when the server gives no count. A page whose `number` is not
 * the one asked for, or more than `maxPages` pages, end it with `MalformedResponseError`.
 */
export async function* iteratePages(
  listTasks: (request: PageRequest, call?: CallOptions) => Promise<TaskDescriptionPage>,
  url: string,
  request: PageRequest = {},
  options: IterateOptions = {},
): AsyncGenerator<TaskDescription, void, undefined> {
  const { maxPages = DEFAULT_MAX_PAGES, ...call } = options;
  const first = request.page ?? 0;
  for (let page = first; ; page += 1) {
    if (page - first >= maxPages) throw endless(`more than maxPages (${maxPages}) pages`, url);
    const answer = await listTasks({ ...request, page }, call);
    if (answer.number !== undefined && answer.number !== page)
      throw endless(`page ${page} was asked for, page ${answer.number} came back`, url);
    const content = answer.content ?? [];
    yield* content;
    const last = answer.totalPages === undefined ? content.length === 0 : page + 1 >= answer.totalPages;
    if (last || content.length === 0) return;
  }
}

function endless(why: string, url: string): MalformedResponseError {
  return new MalformedResponseError(`iterateTasks: ${why}`, {
    operation: 'listTasks',
    method: 'POST',
    url: safeUrl(url),
    status: 200,
    rawBody: '',
  });
}
