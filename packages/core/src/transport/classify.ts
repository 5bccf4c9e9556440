import { ApiError, RetryAfterTooLongError, TimeoutError, TransportError } from '../errors.js';
import type { AttemptFailure } from './attempt.js';
import { isHealable } from './failure.js';
import { DEFAULT_RETRY, parseRetryAfter } from '../retry.js';

/** What to do after a failed attempt, a response, or a failed call. */
export type Verdict = { type: 'retry' } | { type: 'retry-after'; ms: number } | { type: 'fatal' };

const RETRY: Verdict = Object.freeze({ type: 'retry' });
const FATAL: Verdict = Object.freeze({ type: 'fatal' });

/**
 * The one place that decides what may heal — for the transport's retry policy (one attempt) and
 * for the poller (a whole call that already failed after the transport's retries) — so that a
 * client's configured `retry.statuses` mean the same to both. Whether a retry is still allowed
 * (idempotence, count, time left) is the caller's business, not this one's.
 */
export class FailureClassifier {
  readonly statuses: readonly number[];

  constructor(statuses: readonly number[] = DEFAULT_RETRY.statuses) {
    this.statuses = statuses;
  }

  /**
   * An attempt that got no response: a timeout that was not cut short by the call's own time
   * bound, or a network failure another attempt can cure (reset, refused; not a certificate
   * error or ENOTFOUND).
   */
  attempt(failure: AttemptFailure, cutByCallBound: boolean): Verdict {
    if (failure.kind === 'timeout') return cutByCallBound ? FATAL : RETRY;
    if (failure.kind === 'network') return isHealable(failure.cause) ? RETRY : FATAL;
    return FATAL;
  }

  /** A response: a retried status, after what its `Retry-After` asks when it asks; anything else stands. */
  response(status: number, retryAfter: string | undefined): Verdict {
    if (!this.statuses.includes(status)) return FATAL;
    const asked = parseRetryAfter(retryAfter);
    return asked === undefined ? RETRY : { type: 'retry-after', ms: asked };
  }

  /**
   * A call's typed error, as the poller sees it: timeouts, healable network failures, the
   * retried statuses, and a `Retry-After` longer than the transport may wait on its own (the
   * poller waits that long). Not: other 4xx/5xx, malformed answers, a closed client, the rest.
   */
  error(error: unknown): Verdict {
    if (error instanceof TimeoutError) return RETRY;
    if (error instanceof TransportError) return isHealable(error) ? RETRY : FATAL;
    if (error instanceof RetryAfterTooLongError) return { type: 'retry-after', ms: error.retryAfterMs };
    if (error instanceof ApiError && this.statuses.includes(error.status)) return RETRY;
    return FATAL;
  }
}

/** The classifier of a client made with the default retry policy. */
export const DEFAULT_CLASSIFIER = new FailureClassifier();
