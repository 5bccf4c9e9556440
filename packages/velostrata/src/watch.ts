import {
  progressFraction,
  waitForTask,
  watchTasks,
  type Redactor,
  type RequestSummary,
  type TaskSnapshot,
  type TaskSource,
  type WaitOptions,
  type WatchEvent,
  type WatchOptions,
} from '@vmtasks/core';
import type { TaskDescription, TaskDescriptionPage } from './model.js';
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
   * Waits until the task whose `id.value` is `taskId` finishes, polling the active task list:
   * resolves with its final `TaskDescription` when it `Succeeded`; rejects with `TaskFailedError`
   * (`snapshot.error` from `errorMessage`, `item.errorDetails`) when it `Failed`, with
   * `TaskCancelledError` when `Cancelled`, with `TaskNotFoundError` when it is not listed, with
   * `TaskOutcomeUnknownError` when it leaves the active list before a terminal state (never a
   * silent success), with `WaitTimeoutError` after `maxWaitMs`, with `AbortError` when `signal`
   * aborts, or with the client's error when a poll fails in a way that cannot heal (401, …).
   */
  waitForTask(taskId: string, options?: WaitOptions): Promise<TaskDescription>;
  /** Follows the active tasks as a stream of events; see `WatchEvent`. Breaking out of the loop stops polling. */
  watchTasks(options?: WatchOptions): AsyncIterable<WatchEvent<TaskDescription>>;
}

/** `waitForTask` and `watchTasks` over a client's `listActiveTasks`. */
export function taskWatching(
  listActiveTasks: (options: { signal: AbortSignal }) => Promise<TaskDescriptionPage>,
  url: string,
  redactor: Redactor,
): TaskWatching {
  const source = (operation: string): TaskSource<TaskDescription> => ({
    list: async (signal) => (await listActiveTasks({ signal })).content ?? [],
    // A task without an id cannot be followed from one poll to the next.
    toSnapshot: (task) => (task.id?.value ? toSnapshot(task) : undefined),
    request: { operation, method: 'GET', url } satisfies RequestSummary,
    redactor,
  });
  return {
    waitForTask: (taskId, options) => waitForTask(source('waitForTask'), taskId, { ...options, whenDisappeared: 'outcome-unknown' }),
    watchTasks: (options) => watchTasks(source('watchTasks'), options),
  };
}
