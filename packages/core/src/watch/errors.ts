import { VmtasksError, type RequestSummary } from '../errors.js';
import type { TaskSnapshot } from './snapshot.js';

/** What every wait error knows: which task, and how it looked when last seen. */
export interface TaskWaitErrorInit<Item> extends RequestSummary {
  taskId: string | undefined;
  snapshot: TaskSnapshot | undefined;
  item: Item | undefined;
}

/**
 * Base of the errors that end a wait (or a watch's maximum wait). Each subclass has a literal
 * `name`, so a `switch (error.name)` over `WaitError` narrows to one class.
 */
export abstract class TaskWaitError<Item = unknown> extends VmtasksError {
  abstract override readonly name: WaitError['name'];
  /** The task waited for; undefined for a watch's `WaitTimeoutError`. */
  readonly taskId: string | undefined;
  /** The task as last seen; undefined when it was never listed. */
  readonly snapshot: TaskSnapshot | undefined;
  /** The client's own typed task as last seen (snapservice `ListItem`, Velostrata `TaskDescription`). */
  readonly item: Item | undefined;

  constructor(message: string, init: TaskWaitErrorInit<Item>) {
    super(message, init);
    this.taskId = init.taskId;
    this.snapshot = init.snapshot;
    this.item = init.item;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), taskId: this.taskId, snapshot: this.snapshot };
  }
}

/** The task ended in failure; `snapshot.error` sums up why, `item` has the API's full error. */
export class TaskFailedError<Item = unknown> extends TaskWaitError<Item> {
  override readonly name = 'TaskFailedError';
}

/** The task was cancelled. */
export class TaskCancelledError<Item = unknown> extends TaskWaitError<Item> {
  override readonly name = 'TaskCancelledError';
}

/** The task is not listed, or no longer is. */
export class TaskNotFoundError<Item = unknown> extends TaskWaitError<Item> {
  override readonly name = 'TaskNotFoundError';
}

/** The task left the list before it reached a terminal state: how it ended is not known. */
export class TaskOutcomeUnknownError<Item = unknown> extends TaskWaitError<Item> {
  override readonly name = 'TaskOutcomeUnknownError';
}

/** `maxWaitMs` ran out first. */
export class WaitTimeoutError<Item = unknown> extends TaskWaitError<Item> {
  override readonly name = 'WaitTimeoutError';
  readonly maxWaitMs: number;

  constructor(message: string, init: TaskWaitErrorInit<Item> & { maxWaitMs: number }) {
    super(message, init);
    this.maxWaitMs = init.maxWaitMs;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), maxWaitMs: this.maxWaitMs };
  }
}

/** Every way a wait can end other than success (besides the client's own errors); `switch (error.name)` narrows it. */
export type WaitError<Item = unknown> =
  | TaskFailedError<Item>
  | TaskCancelledError<Item>
  | TaskNotFoundError<Item>
  | TaskOutcomeUnknownError<Item>
  | WaitTimeoutError<Item>;
