import {
  progressFraction,
  SharedWaits,
  watchTasks,
  type TaskSnapshot,
  type TracedWaitSource,
  clientWaitSource,
  type WaitOptions,
  type WatchTasksOptions,
  type TaskWatch,
  type Transport,
} from '@vmtasks/core';
import { formatLocalizable, vapiMessages, type ListItem, type ListResult, type TaskFilter, type TaskInfo } from './model.js';
import { snapserviceBatchRead } from './batch-read.js';
import { SnapserviceError } from './error.js';
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
   * Waits until task `taskId` finishes. Concurrent waits on one client share their polls: a wait
   * alone polls `getTask`; many are read together, `listTasks({ tasks })` in batches whose request
   * line stays within 8 KiB, or `listTasks({ services })` for many tasks of one service (waits at
   * the same intervals share a poll; see the README). Resolves with
   * its final `TaskInfo` when it `SUCCEEDED`; rejects with `TaskFailedError` when it `FAILED`
   * (`error.item.info.error` is the task's vAPI error), with `TaskNotFoundError` when it is not
   * (or no longer) listed, with `WaitTimeoutError` after `maxWaitMs`, with `AbortError` when
   * `signal` aborts, or with the client's error when a poll fails in a way that cannot heal
   * (401, 403, …). Transient failures (network, 429, 503, …) are retried and reported.
   */
  waitForTask(taskId: string, options?: WaitOptions): Promise<TaskInfo>;
  /**
   * Follows the tasks `filter` matches (it must name `tasks` or `services`) as a stream of
   * events; see `WatchEvent`. Breaking out of the loop stops polling. `checkpoint()` and
   * `resumeFrom` continue a watch after a restart (with the same filter).
   */
  watchTasks(filter: TaskFilter, options?: WatchTasksOptions): TaskWatch<ListItem>;
}

/** The calls waiting and watching are built on. */
export interface TaskReads {
  listTasks(filter: TaskFilter, options: { signal: AbortSignal }): Promise<ListResult>;
  getTask(taskId: string, options: { signal: AbortSignal }): Promise<TaskInfo>;
  /** How `listTasks` writes its query (to size its batches by the URL it really sends). */
  querySerializer(query: Record<string, unknown>): string;
}

/**
 * `waitForTask` over a poll shared by the client's concurrent waits (see `snapserviceBatchRead`), and `watchTasks` over `listTasks`. `transport` gives
 * the client's redactor, its classifier so that polls retry what its requests retry, and its telemetry (wait
 * and watch spans).
 */
export function taskWatching(
  reads: TaskReads,
  url: string,
  transport: Pick<Transport, 'redactor' | 'classifier' | 'telemetry'>,
): TaskWatching {
  const described = (operation: string): TracedWaitSource<ListItem> => clientWaitSource(operation, url, toSnapshot, transport);
  // One task, or none when the appliance does not know it (404 NOT_FOUND).
  const lookUp = async (taskId: string, signal: AbortSignal): Promise<ListItem[]> => {
    try {
      return [{ task: taskId, info: await reads.getTask(taskId, { signal }) }];
    } catch (error) {
      if (error instanceof SnapserviceError && error.status === 404) return [];
      throw error;
    }
  };
  const read = snapserviceBatchRead({ listTasks: reads.listTasks, lookUp, querySerializer: reads.querySerializer }, url);
  const waits = new SharedWaits<ListItem>({ ...described('waitForTask'), read }, 'not-found');
  return {
    waitForTask: async (taskId, options) => (await waits.wait(taskId, options)).info,
    watchTasks: (filter, options) =>
      watchTasks({ ...described('watchTasks'), list: async (signal) => (await reads.listTasks(filter, { signal })).items }, options),
  };
}
