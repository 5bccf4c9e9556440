import {
  progressFraction,
  waitForTask,
  watchTasks,
  type RequestSummary,
  type TaskSnapshot,
  type TaskSource,
  type WaitOptions,
  type WatchEvent,
  type WatchOptions,
  type Redactor,
} from '@vmtasks/core';
import { formatLocalizable, vapiMessages, type ListItem, type ListResult, type TaskFilter, type TaskInfo } from './model.js';
import { stateOf } from './state.js';

/** The error of a failed task in one line: its first message, else its error type. */
function errorSummary(error: unknown): string | undefined {
  const first = vapiMessages(error)[0];
  if (first) return formatLocalizable(first);
  const type = typeof error === 'object' && error !== null && 'error_type' in error ? error.error_type : undefined;
  return typeof type === 'string' ? type : undefined;
}

/** The common view of a snapservice task (see `TaskSnapshot`). */
export function toSnapshot(item: ListItem): TaskSnapshot {
  const { info } = item;
  const message = info.progress?.message ?? info.description;
  return {
    api: 'snapservice',
    id: item.task,
    kind: info.operation,
    target: info.target?.id,
    state: stateOf(info.status),
    progress: progressFraction(info.progress?.completed, info.progress?.total),
    message: message ? formatLocalizable(message) : undefined,
    error: info.error === undefined ? undefined : errorSummary(info.error),
    startedAt: info.start_time,
    endedAt: info.end_time,
    user: info.user,
  };
}

export interface TaskWatching {
  /**
   * Waits until task `taskId` finishes, polling `listTasks({ tasks: [taskId] })`: resolves with
   * its final `TaskInfo` when it `SUCCEEDED`; rejects with `TaskFailedError` when it `FAILED`
   * (`error.item.info.error` is the task's vAPI error), with `TaskNotFoundError` when it is not
   * (or no longer) listed, with `WaitTimeoutError` after `maxWaitMs`, with `AbortError` when
   * `signal` aborts, or with the client's error when a poll fails in a way that cannot heal
   * (401, 403, …). Transient failures (network, 429, 503, …) are retried and reported.
   */
  waitForTask(taskId: string, options?: WaitOptions): Promise<TaskInfo>;
  /**
   * Follows the tasks `filter` matches (it must name `tasks` or `services`) as a stream of
   * events; see `WatchEvent`. Breaking out of the loop stops polling.
   */
  watchTasks(filter: TaskFilter, options?: WatchOptions): AsyncIterable<WatchEvent<ListItem>>;
}

/** `waitForTask` and `watchTasks` over a client's `listTasks`. */
export function taskWatching(
  listTasks: (filter: TaskFilter, options: { signal: AbortSignal }) => Promise<ListResult>,
  url: string,
  redactor: Redactor,
): TaskWatching {
  const source = (filter: TaskFilter, operation: string): TaskSource<ListItem> => ({
    list: async (signal) => (await listTasks(filter, { signal })).items,
    toSnapshot,
    request: { operation, method: 'GET', url } satisfies RequestSummary,
    redactor,
  });
  return {
    waitForTask: async (taskId, options) => {
      const item = await waitForTask(source({ tasks: [taskId] }, 'waitForTask'), taskId, { ...options, whenDisappeared: 'not-found' });
      return item.info;
    },
    watchTasks: (filter, options) => watchTasks(source(filter, 'watchTasks'), options),
  };
}
