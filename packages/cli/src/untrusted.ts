import { MalformedResponseError, type TaskSnapshot, type WatchEvent, type WatchTasksOptions } from '@vmtasks/core';
import type { ServerText } from './server-text.js';
import type { TaskApi } from './sources.js';

/** An appliance answered with something the API does not allow (not JSON, wrong shape or types). */
export class BadAnswerError extends Error {
  override name = 'BadAnswerError';

  constructor(api: Pick<TaskApi, 'appliance' | 'origin'>, cause: MalformedResponseError) {
    super(`${api.appliance} at ${api.origin}: the answer did not match the API (${cause.message})`, { cause });
  }
}

/**
 * The API as the commands see it: everything it returns, yields, reports or throws has been
 * through `server` (redacted, and made safe to print), and a malformed answer is a
 * `BadAnswerError` naming the appliance.
 */
export function untrusted(api: TaskApi, server: ServerText): TaskApi {
  const fail = (error: unknown): never => {
    const clean = server.error(error);
    throw clean instanceof MalformedResponseError ? new BadAnswerError(api, clean) : clean;
  };
  async function* watch(options: WatchTasksOptions): AsyncIterable<WatchEvent> {
    try {
      for await (const event of api.watch(options)) yield server.event(event);
    } catch (error) {
      fail(error);
    }
  }
  async function* history(tasks: AsyncIterable<TaskSnapshot>): AsyncIterable<TaskSnapshot> {
    try {
      for await (const snapshot of tasks) yield server.snapshot(snapshot);
    } catch (error) {
      fail(error);
    }
  }
  return {
    ...api,
    list: (signal) => api.list(signal).then((snapshots) => snapshots.map((snapshot) => server.snapshot(snapshot)), fail),
    watch,
    wait: (taskId, options) => {
      const { onProgress, onTransientFailure, onStalled } = options;
      return api
        .wait(taskId, {
          ...options,
          ...(onProgress ? { onProgress: (snapshot) => onProgress(server.snapshot(snapshot)) } : {}),
          ...(onTransientFailure ? { onTransientFailure: (notice) => onTransientFailure(server.trouble(notice)) } : {}),
          ...(onStalled ? { onStalled: (notice) => onStalled({ ...notice, lastError: server.error(notice.lastError) }) } : {}),
        })
        .catch(fail);
    },
    // Ids as the server sent them: they are passed back to wait. Where they are shown (an
    // ambiguous prefix), wait.ts makes them visible itself.
    find: (idOrPrefix, signal) => api.find(idOrPrefix, signal).catch(fail),
    get: (taskId, signal) =>
      api.get(taskId, signal).then((found) => found && { snapshot: server.snapshot(found.snapshot), raw: server.value(found.raw) }, fail),
    cancel: api.cancel && ((taskId, signal) => api.cancel!(taskId, signal).catch(fail)),
    history: api.history && ((pageSize, signal) => history(api.history!(pageSize, signal))),
  };
}
