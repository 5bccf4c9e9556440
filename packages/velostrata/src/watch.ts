import {
  progressFraction,
  SharedWaits,
  watchTasks,
  type Transport,
  type TaskSnapshot,
  type TracedWaitSource,
  clientWaitSource,
  type WaitOptions,
  type WatchTasksOptions,
  type TaskWatch,
} from '@vmtasks/core';
import type { IdFilter, PageRequest, TaskDescription, TaskDescriptionPage } from './model.js';
import { iteratePages } from './pages.js';
import { VelostrataError } from './error.js';
import { stateOf } from './state.js';

const nonEmpty = (text: string | undefined): string | undefined => (text ? text : undefined);

/** The common view of a Velostrata task (see `TaskSnapshot`); `progress` is its percentage as a fraction. */
export function toSnapshot(task: TaskDescription): TaskSnapshot {
  return {
    api: 'velostrata',
    id: task.id?.value ?? '',
    kind: task.taskType,
    target: task.entity?.value,
    state: stateOf(task.state),
    progress: progressFraction(task.progress, 100),
    message: nonEmpty(task.progressMessage?.at(-1)),
    error: nonEmpty(task.errorMessage?.join('; ')) ?? nonEmpty(task.errorDetails),
    startedAt: task.startTime,
    endedAt: task.endTime,
    user: task.username,
  };
}

export interface TaskWatching {
  /**
   * Waits until the task whose `id.value` is `taskId` finishes. Concurrent waits on one client
   * share their polls: up to three poll `getTask`, more are read together with `listTasks`' `IdFilter`
   * (100 ids a request; waits at the same intervals share a poll; see the README). Resolves with its final `TaskDescription` when it `Succeeded`; rejects with
   * `TaskFailedError` (`snapshot.error` from `errorMessage`, `item.errorDetails`) when it `Failed`,
   * with `TaskCancelledError` when `Cancelled`, with `TaskNotFoundError` when the manager does not
   * know it (404, after `notFoundGraceMs`), with `TaskOutcomeUnknownError` when the manager no
   * longer knows a task it reported (never a silent success), with `WaitTimeoutError` after
   * `maxWaitMs`, with `AbortError` when `signal` aborts, or with the client's error when a poll
   * fails in a way that cannot heal (401, …).
   */
  waitForTask(taskId: string, options?: WaitOptions): Promise<TaskDescription>;
  /**
   * Follows the active tasks as a stream of events; see `WatchEvent`. Breaking out of the loop
   * stops polling. `checkpoint()` and `resumeFrom` continue a watch after a restart.
   */
  watchTasks(options?: WatchTasksOptions): TaskWatch<TaskDescription>;
}

/** The calls waiting and watching are built on. */
export interface TaskReads {
  listActiveTasks(options: { signal: AbortSignal }): Promise<TaskDescriptionPage>;
  getTask(taskId: string, options: { signal: AbortSignal }): Promise<TaskDescription>;
  listTasks(request: PageRequest, options: { signal: AbortSignal }): Promise<TaskDescriptionPage>;
}

/** Up to this many waits ask for their tasks one by one (`getTask`); more are read with `listTasks`' `IdFilter`. */
export const GET_TASK_WAITS = 3;
/** Ids per `listTasks` request: the page size the manager picks by itself, so that one page holds the answer. */
export const IDS_PER_LIST = 100;

/**
 * `waitForTask` over a poll shared by the client's concurrent waits (`getTask` for a few, `listTasks`
 * with an `IdFilter` for more), and `watchTasks` over `listActiveTasks`. `transport` gives the
 * client's redactor, its classifier so that polls retry what its requests retry, and its telemetry (wait
 * and watch spans).
 */
export function taskWatching(
  reads: TaskReads,
  url: string,
  transport: Pick<Transport, 'redactor' | 'classifier' | 'telemetry'>,
): TaskWatching {
  // A task without an id cannot be followed from one poll to the next.
  const described = (operation: string): TracedWaitSource<TaskDescription> =>
    clientWaitSource(operation, url, (task) => (task.id?.value ? toSnapshot(task) : undefined), transport);
  // One task, or none when the manager does not know it (404): the wait then says not found, or
  // outcome unknown for a task it had seen.
  const lookUp = async (taskId: string, signal: AbortSignal): Promise<TaskDescription[]> => {
    try {
      return [await reads.getTask(taskId, { signal })];
    } catch (error) {
      if (error instanceof VelostrataError && error.status === 404) return [];
      throw error;
    }
  };
  const read = async (ids: readonly string[], signal: AbortSignal): Promise<readonly TaskDescription[]> => {
    if (ids.length <= GET_TASK_WAITS) return (await Promise.all(ids.map((id) => lookUp(id, signal)))).flat();
    const tasks: TaskDescription[] = [];
    // One request after the other, each every page of its answer (a manager with a smaller page size).
    for (let start = 0; start < ids.length; start += IDS_PER_LIST) {
      const chunk = ids.slice(start, start + IDS_PER_LIST);
      const filter: IdFilter = { _type: 'IdFilter', ids: chunk.map((value) => ({ value, _type: 'TaskId' })) };
      for await (const task of iteratePages((request) => reads.listTasks(request, { signal }), url, { filter, size: chunk.length }))
        tasks.push(task);
    }
    return tasks;
  };
  const waits = new SharedWaits<TaskDescription>({ ...described('waitForTask'), read }, 'outcome-unknown');
  return {
    waitForTask: (taskId, options) => waits.wait(taskId, options),
    watchTasks: (options) =>
      watchTasks({ ...described('watchTasks'), list: async (signal) => (await reads.listActiveTasks({ signal })).content ?? [] }, options),
  };
}
