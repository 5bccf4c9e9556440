import {
  progressFraction,
  waitForTask,
  watchTasks,
  type Transport,
  type RequestSummary,
  type TaskSnapshot,
  type TracedTaskSource,
  type WaitOptions,
  type WatchEvent,
  type WatchOptions,
} from '@vmtasks/core';
import type { TaskDescription, TaskDescriptionPage } from './model.js';
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
   * Waits until the task whose `id.value` is `taskId` finishes, polling `getTask` (one small
   * request per poll): resolves with its final `TaskDescription` when it `Succeeded`; rejects with
   * `TaskFailedError` (`snapshot.error` from `errorMessage`, `item.errorDetails`) when it `Failed`,
   * with `TaskCancelledError` when `Cancelled`, with `TaskNotFoundError` when the manager does not
   * know it (404, after `notFoundGraceMs`), with `TaskOutcomeUnknownError` when the manager no
   * longer knows a task it reported (never a silent success), with `WaitTimeoutError` after
   * `maxWaitMs`, with `AbortError` when `signal` aborts, or with the client's error when a poll
   * fails in a way that cannot heal (401, …).
   */
  waitForTask(taskId: string, options?: WaitOptions): Promise<TaskDescription>;
  /** Follows the active tasks as a stream of events; see `WatchEvent`. Breaking out of the loop stops polling. */
  watchTasks(options?: WatchOptions): AsyncIterable<WatchEvent<TaskDescription>>;
}

/** The calls waiting and watching are built on. */
export interface TaskReads {
  listActiveTasks(options: { signal: AbortSignal }): Promise<TaskDescriptionPage>;
  getTask(taskId: string, options: { signal: AbortSignal }): Promise<TaskDescription>;
}

/** `waitForTask` over `getTask`, and `watchTasks` over `listActiveTasks`. */
/** `transport` gives the client's redactor, its classifier so that polls retry what its requests retry, and its telemetry (wait and watch spans). */
export function taskWatching(
  reads: TaskReads,
  url: string,
  transport: Pick<Transport, 'redactor' | 'classifier' | 'telemetry'>,
): TaskWatching {
  const { redactor, classifier, telemetry } = transport;
  const source = (
    operation: string,
    list: (signal: AbortSignal) => Promise<readonly TaskDescription[]>,
  ): TracedTaskSource<TaskDescription> => ({
    list,
    // A task without an id cannot be followed from one poll to the next.
    toSnapshot: (task) => (task.id?.value ? toSnapshot(task) : undefined),
    request: { operation, method: 'GET', url } satisfies RequestSummary,
    redactor,
    classifier,
    telemetry,
  });
  // One task, or none when the manager does not know it (404): the wait then says not found, or
  // outcome unknown for a task it had seen.
  const lookUp = (taskId: string) => async (signal: AbortSignal) => {
    try {
      return [await reads.getTask(taskId, { signal })];
    } catch (error) {
      if (error instanceof VelostrataError && error.status === 404) return [];
      throw error;
    }
  };
  return {
    waitForTask: (taskId, options) =>
      waitForTask(source('waitForTask', lookUp(taskId)), taskId, { ...options, whenDisappeared: 'outcome-unknown' }),
    watchTasks: (options) =>
      watchTasks(
        source('watchTasks', async (signal) => (await reads.listActiveTasks({ signal })).content ?? []),
        options,
      ),
  };
}
