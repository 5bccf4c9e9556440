import { jitteredBackoff } from '../backoff.js';
import { AbortError, InvalidRequestError, type RequestSummary, type VmtasksError } from '../errors.js';
import { checkDelay, MAX_TIMER_MS } from '../retry.js';
import { DEFAULT_CLASSIFIER, type FailureClassifier } from '../transport/classify.js';
import { realClock, type WatchClock } from './clock.js';

/** How often to poll and for how long; the same names for every wait and watch. */
export interface PollPolicy {
  /** Stops the polling at once; the wait or watch then rejects with `AbortError`. */
  signal?: AbortSignal | undefined;
  /** The interval after a poll that changed something (and the first backoff step). Default 1 s. */
  minIntervalMs?: number | undefined;
  /** The longest interval while nothing changes or the server is in trouble. Default 30 s. */
  maxIntervalMs?: number | undefined;
  /** No poll starts after this much time; then `WaitTimeoutError`. Default: no limit. */
  maxWaitMs?: number | undefined;
  /** Where time is read and waited for; default real time (tests pass a manual clock). */
  clock?: WatchClock | undefined;
  /**
   * After this long without a successful poll the poll is reported `stalled` (once), and
   * `recovered` when one succeeds again. Default: three times `maxIntervalMs`. Checked when a
   * poll fails and while waiting to retry (a poll in flight is bounded by the client's timeout).
   */
  stallAfterMs?: number | undefined;
}

export const DEFAULT_MIN_INTERVAL_MS = 1_000;
export const DEFAULT_MAX_INTERVAL_MS = 30_000;

/** One outcome of the poller: a listing, a failure it will retry after `retryInMs`, or a stall starting or ending. */
export type PollStep<T> =
  | { type: 'result'; value: T; at: number }
  | { type: 'transient-failure'; error: VmtasksError; failures: number; retryInMs: number }
  | StallStep;

/**
 * No poll has succeeded since `since` (clock ms: the last success, or the start) for `stallAfterMs`;
 * then, at `at`, one did again. Each stall is reported once, and its recovery once.
 */
export type StallStep = { type: 'stalled'; since: number; lastError: VmtasksError } | { type: 'recovered'; since: number; at: number };

/**
 * The wait a transient failure asks for, or undefined when the failure is not transient and
 * must end the wait. The client's classifier decides (its configured `retry.statuses` included),
 * as it does for the transport's own retries; see `FailureClassifier.error`.
 */
export function transientFailure(
  error: unknown,
  classifier: FailureClassifier = DEFAULT_CLASSIFIER,
): { retryAfterMs?: number } | undefined {
  const verdict = classifier.error(error);
  if (verdict.type === 'fatal') return undefined;
  return verdict.type === 'retry-after' ? { retryAfterMs: verdict.ms } : {};
}

/** Exponential backoff with jitter: a random wait in [min, min(max, min·2^step)]. */
export function backoffInterval(step: number, minMs: number, maxMs: number, random: () => number): number {
  return Math.round(jitteredBackoff(step, { baseMs: minMs, maxMs, floor: 'base' }, random));
}

/** A per-call interval option, checked like the transport's delays; a bad one is the call's `InvalidRequestError`. */
export function checkInterval(parameter: string, value: unknown, request: RequestSummary): number {
  try {
    return checkDelay(parameter, value);
  } catch (error) {
    throw new InvalidRequestError(`${request.operation}: ${(error as Error).message}`, { ...request, parameter });
  }
}

/** A policy's intervals with their defaults, checked: a bad one is the call's `InvalidRequestError`. */
export function pollIntervals(policy: PollPolicy, request: RequestSummary): { minMs: number; maxMs: number; stallMs: number } {
  const minMs = checkInterval('minIntervalMs', policy.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS, request);
  const maxMs = checkInterval('maxIntervalMs', policy.maxIntervalMs ?? Math.max(minMs, DEFAULT_MAX_INTERVAL_MS), request);
  if (maxMs < minMs) {
    throw new InvalidRequestError(`${request.operation}: maxIntervalMs (${maxMs}) must not be less than minIntervalMs (${minMs})`, {
      ...request,
      parameter: 'maxIntervalMs',
    });
  }
  const stallMs = checkInterval('stallAfterMs', policy.stallAfterMs ?? Math.min(3 * maxMs, MAX_TIMER_MS), request);
  return { minMs, maxMs, stallMs };
}

/**
 * Calls `list` until the consumer stops, the caller aborts, or `maxWaitMs` runs out (the
 * generator then returns). Written here rather than taken from smithy's `util-waiter` because
 * that waiter ends at the first terminal state and knows no "something changed" reset or
 * failure notices; this one keeps its shape: a deadline, an abort signal, backoff with jitter.
 *
 * The consumer answers each `result` step with `next(changed)`: after a change the next poll
 * comes `minIntervalMs` later; while nothing changes the interval doubles (jittered) up to
 * `maxIntervalMs`. Transient failures back off the same way, honour a server's `Retry-After`,
 * and are yielded so they can be reported; any other error is thrown.
 */
export async function* poll<T>(
  list: (signal: AbortSignal) => Promise<T>,
  policy: PollPolicy & { request: RequestSummary; random?: () => number; classifier?: FailureClassifier | undefined },
): AsyncGenerator<PollStep<T>, void, boolean | undefined> {
  const { request } = policy;
  const { minMs, maxMs, stallMs } = pollIntervals(policy, request);
  const clock = policy.clock ?? realClock;
  const random = policy.random ?? Math.random;
  const caller = policy.signal;
  const deadline = policy.maxWaitMs === undefined ? Infinity : clock.now() + checkInterval('maxWaitMs', policy.maxWaitMs, request);
  const aborted = (): AbortError => new AbortError(`${request.operation}: aborted by the caller`, request, { cause: caller?.reason });

  // Aborted when the caller aborts or the consumer stops: ends a sleep or a request in flight.
  const lifetime = new AbortController();
  const onCallerAbort = (): void => lifetime.abort(caller?.reason);
  caller?.addEventListener('abort', onCallerAbort, { once: true });

  // Sleeps `ms`, cut to the deadline; false when the deadline came first.
  const pause = async (ms: number): Promise<boolean> => {
    const remaining = deadline - clock.now();
    try {
      await clock.sleep(Math.min(ms, remaining, MAX_TIMER_MS), lifetime.signal);
    } catch (error) {
      if (caller?.aborted) throw aborted();
      throw error;
    }
    return ms < remaining;
  };

  let quiet = 0;
  let failures = 0;
  // The last success (or the start), and whether the stall since then has been reported.
  let since = clock.now();
  let stalled = false;
  try {
    for (;;) {
      if (caller?.aborted) throw aborted();
      if (clock.now() >= deadline) return;
      const outcome = await listBefore(deadline, clock, lifetime.signal, list);
      if (caller?.aborted) throw aborted();
      if (outcome.type === 'deadline') return;
      if (outcome.type === 'error') {
        const transient = transientFailure(outcome.error, policy.classifier);
        if (!transient) throw outcome.error;
        failures += 1;
        const retryInMs = Math.max(backoffInterval(failures, minMs, maxMs, random), transient.retryAfterMs ?? 0);
        const lastError = outcome.error as VmtasksError;
        yield { type: 'transient-failure', error: lastError, failures, retryInMs };
        // The stall is reported when its time comes, even in the middle of a wait to retry.
        const stallInMs = since + stallMs - clock.now();
        if (!stalled && stallInMs < retryInMs) {
          if (stallInMs > 0 && !(await pause(stallInMs))) return;
          stalled = true;
          yield { type: 'stalled', since, lastError };
          if (!(await pause(retryInMs - Math.max(0, stallInMs)))) return;
          continue;
        }
        if (!(await pause(retryInMs))) return;
        continue;
      }
      failures = 0;
      const at = clock.now();
      if (stalled) {
        stalled = false;
        yield { type: 'recovered', since, at };
      }
      since = at;
      const changed = yield { type: 'result', value: outcome.value, at };
      quiet = changed ? 0 : quiet + 1;
      if (!(await pause(backoffInterval(quiet, minMs, maxMs, random)))) return;
    }
  } finally {
    caller?.removeEventListener('abort', onCallerAbort);
    lifetime.abort();
  }
}

type ListOutcome<T> = { type: 'value'; value: T } | { type: 'error'; error: unknown } | { type: 'deadline' };

/** One call to `list`, aborted if the deadline (clock time) comes first. */
async function listBefore<T>(
  deadline: number,
  clock: WatchClock,
  lifetime: AbortSignal,
  list: (signal: AbortSignal) => Promise<T>,
): Promise<ListOutcome<T>> {
  const attempt = new AbortController();
  const onEnd = (): void => attempt.abort(lifetime.reason);
  lifetime.addEventListener('abort', onEnd, { once: true });
  try {
    const listed = (async (): Promise<ListOutcome<T>> => {
      try {
        return { type: 'value', value: await list(attempt.signal) };
      } catch (error) {
        return { type: 'error', error };
      }
    })();
    // A custom clock is stepped: no clock time passes during a poll, so only the real one can
    // run out while a request is in flight.
    if (deadline === Infinity || clock !== realClock) return await listed;
    const timeUp = clock.sleep(deadline - clock.now(), attempt.signal).then(
      (): ListOutcome<T> => ({ type: 'deadline' }),
      // Aborted because the listing ended first (or the caller aborted): `listed` decides.
      () => listed,
    );
    return await Promise.race([listed, timeUp]);
  } finally {
    lifetime.removeEventListener('abort', onEnd);
    attempt.abort();
  }
}
