import { InvalidRequestError, type RequestSummary } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { FailureClassifier } from '../transport/classify.js';
import { TaskDiffer } from './differ.js';
import {
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  TaskOutcomeUnknownError,
  WaitTimeoutError,
  type TaskWaitErrorInit,
} from './errors.js';
import { CheckpointTracker, readCheckpoint, type WatchCheckpoint } from './checkpoint.js';
import type { Recovered, Stalled, TaskEvent, TransientFailure, WatchEvent } from './events.js';
import { realClock } from './clock.js';
import { checkInterval, poll, type PollPolicy, type PollStep, type StallStep } from './poller.js';
import type { TaskSnapshot } from './snapshot.js';

/** Options of `waitForTask` and `watchTasks`, the same names in both clients. */
export interface WatchOptions extends PollPolicy {
  /** Called with every new or changed snapshot, in order, the terminal one included. */
  onProgress?: ((snapshot: TaskSnapshot) => void) | undefined;
  /** Called for each poll that failed in a way that may heal (a watch also yields it as an event). */
  onTransientFailure?: ((notice: TransientFailure) => void) | undefined;
  /** Called once when no poll has succeeded for `stallAfterMs` (a watch also yields it as an event). */
  onStalled?: ((notice: Stalled) => void) | undefined;
  /** Called once when a poll succeeds after a stall, before its snapshots are reported. */
  onRecovered?: ((notice: Recovered) => void) | undefined;
}

/** Options of `watchTasks`. */
export interface WatchTasksOptions extends WatchOptions {
  /**
   * A `checkpoint()` of an earlier watch of the same tasks: tasks unchanged since are not
   * announced again; those that changed, finished or left meanwhile are, once. Anything else
   * is an `InvalidRequestError` naming `resumeFrom`.
   */
  resumeFrom?: WatchCheckpoint | undefined;
}

/** The events of `watchTasks`, and where the consumer is in them. */
export interface TaskWatch<Item> extends AsyncIterable<WatchEvent<Item>> {
  /**
   * Every event yielded so far, as a JSON value to pass as `resumeFrom` after a restart. Taken
   * after handling an event, it includes that event: nothing is announced twice or lost.
   */
  checkpoint(): WatchCheckpoint;
}

/** Options of `waitForTask`. */
export interface WaitOptions extends WatchOptions {
  /**
   * How long a task that has not been listed yet is waited for before `TaskNotFoundError`: a task
   * just started may appear in the list a moment later. Default 5 s; 0 gives up at the first
   * listing without it. A task that was listed and then left is not waited for.
   */
  notFoundGraceMs?: number | undefined;
}

export const DEFAULT_NOT_FOUND_GRACE_MS = 5_000;

/** What a client gives the engine: how to list its tasks and how to see them. */
export interface TaskSource<Item> {
  /** One listing. Its errors are the client's typed errors. */
  list(signal: AbortSignal): Promise<readonly Item[]>;
  /** The common view of a task; undefined for one that cannot be followed (no id). */
  toSnapshot(item: Item): TaskSnapshot | undefined;
  /** Names the wait or watch in errors (`operation`: `waitForTask` / `watchTasks`). */
  request: RequestSummary;
  /** Hides the client's credentials in error messages and the snapshots errors carry. */
  redactor?: Redactor;
  /** The client's transport classifier, so that a poll retries what its requests retry (`retry.statuses`). */
  classifier?: FailureClassifier;
}

/** A source without its listing: what a wait fed by someone else's polls needs. */
export type WaitSource<Item> = Omit<TaskSource<Item>, 'list'>;

/** What a wait does when its task leaves the list before it finished. */
export type WhenDisappeared = 'not-found' | 'outcome-unknown';

function describe(snapshot: TaskSnapshot): string {
  const percent = snapshot.progress === undefined ? '' : ` ${Math.round(snapshot.progress * 100)}%`;
  return `${snapshot.state}${percent}`;
}

function errorInit<Item>(source: WaitSource<Item>, taskId: string | undefined, last: TaskEvent<Item> | undefined): TaskWaitErrorInit<Item> {
  return { ...source.request, taskId, snapshot: last?.snapshot, item: last?.item };
}

/** The error, with the client's credentials taken out of everything it shows (the task's own text may echo them). */
function redacted<E extends Error>(source: WaitSource<unknown>, error: E): E {
  return source.redactor ? source.redactor.error(error) : error;
}

/** What one poll brought: a transient failure, a stall or its end, or the events since the previous listing. */
export type Round<Item> = TransientFailure | Stalled | Recovered | { type: 'listed'; events: TaskEvent<Item>[]; count: number; at: number };

const iso = (ms: number): string => new Date(ms).toISOString();

/** A stall step as the event a watch yields. */
function stallEvent(step: StallStep): Stalled | Recovered {
  return step.type === 'stalled'
    ? { type: 'stalled', since: iso(step.since), lastError: step.lastError }
    : { type: 'recovered', since: iso(step.since), at: iso(step.at) };
}

/** A poll step other than a listing, as the round a wait or watch sees. */
export function noticeOf(step: Exclude<PollStep<unknown>, { type: 'result' }>): TransientFailure | Stalled | Recovered {
  return step.type === 'transient-failure' ? step : stallEvent(step);
}

/** Calls the callbacks a round is for, as a wait's or watch's own poll does (a shared poll too). */
export function report<Item>(round: Round<Item>, options: WatchOptions): void {
  switch (round.type) {
    case 'transient-failure':
      options.onTransientFailure?.(round);
      return;
    case 'stalled':
      options.onStalled?.(round);
      return;
    case 'recovered':
      options.onRecovered?.(round);
      return;
    case 'listed':
      for (const event of round.events) if (event.type !== 'disappeared') options.onProgress?.(event.snapshot);
  }
}

/** The poller and the differ together: one round per poll, reporting to the callbacks as it goes. */
async function* rounds<Item>(
  source: TaskSource<Item>,
  differ: TaskDiffer<Item>,
  options: WatchOptions,
): AsyncGenerator<Round<Item>, void, undefined> {
  const poller = poll(source.list, { ...options, request: source.request, classifier: source.classifier });
  try {
    let step = await poller.next();
    while (!step.done) {
      const round: Round<Item> =
        step.value.type === 'result'
          ? { type: 'listed', events: differ.diff(step.value.value), count: step.value.value.length, at: step.value.at }
          : noticeOf(step.value);
      report(round, options);
      yield round;
      step = await poller.next(round.type === 'listed' ? round.events.length > 0 : undefined);
    }
  } finally {
    await poller.return();
  }
}

/**
 * Waits until task `taskId` reaches a terminal state: resolves with its item when it
 * succeeded, rejects with `TaskFailedError` / `TaskCancelledError` otherwise, with
 * `TaskNotFoundError` when it is still not listed after `notFoundGraceMs`, and with `TaskNotFoundError` or
 * `TaskOutcomeUnknownError` (`whenDisappeared`) when it leaves the list unfinished.
 */
export function waitForTask<Item>(
  source: TaskSource<Item>,
  taskId: string,
  options: WaitOptions & { whenDisappeared: WhenDisappeared },
): Promise<Item> {
  return settleWait(source, taskId, options, () => rounds(source, new TaskDiffer(source.toSnapshot, taskId), options));
}

/**
 * `waitForTask` over any stream of rounds about task `taskId` (its own poll, or a poll shared
 * with other waits): the checks of its arguments, then the outcome the rounds lead to.
 */
export async function settleWait<Item>(
  source: WaitSource<Item>,
  taskId: string,
  options: WaitOptions & { whenDisappeared: WhenDisappeared },
  taskRounds: () => AsyncIterable<Round<Item>>,
): Promise<Item> {
  if (typeof taskId !== 'string' || taskId === '') {
    throw new InvalidRequestError(
      `${source.request.operation}: taskId must be a non-empty string, got ${taskId === '' ? 'an empty one' : typeof taskId}`,
      {
        ...source.request,
        parameter: 'taskId',
      },
    );
  }
  const graceMs =
    options.notFoundGraceMs === 0
      ? 0
      : checkInterval('notFoundGraceMs', options.notFoundGraceMs ?? DEFAULT_NOT_FOUND_GRACE_MS, source.request);
  const clock = options.clock ?? realClock;
  const started = clock.now();
  let last: TaskEvent<Item> | undefined;
  for await (const round of taskRounds()) {
    if (round.type !== 'listed') continue;
    for (const event of round.events) {
      if (event.type === 'disappeared') {
        const init = errorInit(source, taskId, event);
        const seen = `last seen ${describe(event.snapshot)}`;
        throw redacted(
          source,
          options.whenDisappeared === 'not-found'
            ? new TaskNotFoundError(`Task ${taskId} is no longer listed (${seen})`, init)
            : new TaskOutcomeUnknownError(`Task ${taskId} left the list before it finished (${seen}); its outcome is unknown`, init),
        );
      }
      last = event;
      if (event.type !== 'finished') continue;
      const { snapshot } = event;
      if (snapshot.state === 'succeeded') return event.item;
      const init = errorInit(source, taskId, event);
      throw redacted(
        source,
        snapshot.state === 'cancelled'
          ? new TaskCancelledError(`Task ${taskId} was cancelled`, init)
          : new TaskFailedError(`Task ${taskId} failed: ${snapshot.error ?? 'no error message'}`, init),
      );
    }
    if (!last && round.at - started >= graceMs) {
      const waited = graceMs > 0 ? ` (waited ${round.at - started} ms for it to appear)` : '';
      throw redacted(source, new TaskNotFoundError(`Task ${taskId} is not listed${waited}`, errorInit(source, taskId, undefined)));
    }
  }
  const waited = clock.now() - started;
  const seen = last ? `last seen ${describe(last.snapshot)}` : 'never seen';
  throw redacted(
    source,
    new WaitTimeoutError(`Task ${taskId} did not finish within ${options.maxWaitMs} ms (${seen}, waited ${waited} ms)`, {
      ...errorInit(source, taskId, last),
      maxWaitMs: options.maxWaitMs ?? 0,
    }),
  );
}

/**
 * Follows every task `source` lists, as a stream of events (see `WatchEvent`). Polling happens
 * only while the consumer asks for events; breaking out of the loop stops it. Transient
 * failures and stalls are yielded; any other error, and `WaitTimeoutError` after `maxWaitMs`, is
 * thrown. `checkpoint()` says where the consumer is; `resumeFrom` continues from there (a bad
 * one is thrown by this call).
 */
export function watchTasks<Item>(
  source: TaskSource<Item>,
  options: WatchTasksOptions = {},
): AsyncGenerator<WatchEvent<Item>, void, undefined> & TaskWatch<Item> {
  const resumeFrom = options.resumeFrom === undefined ? undefined : readCheckpoint(options.resumeFrom, source.request);
  const tracker = new CheckpointTracker(resumeFrom);
  const differ = new TaskDiffer(source.toSnapshot);
  if (resumeFrom) differ.restore(resumeFrom);
  async function* events(): AsyncGenerator<WatchEvent<Item>, void, undefined> {
    for await (const round of rounds(source, differ, options)) {
      if (round.type !== 'listed') {
        yield round;
        continue;
      }
      // Taken into the checkpoint as it is handed over: a consumer that saves a checkpoint after
      // handling an event has saved that event, and nothing after it.
      for (const event of round.events) {
        tracker.apply(event);
        yield event;
      }
      yield { type: 'polled', count: round.count, at: iso(round.at) };
    }
    throw new WaitTimeoutError(`${source.request.operation}: stopped after maxWaitMs (${options.maxWaitMs} ms)`, {
      ...errorInit(source, undefined, undefined),
      maxWaitMs: options.maxWaitMs ?? 0,
    });
  }
  return Object.assign(events(), { checkpoint: () => tracker.checkpoint() });
}
