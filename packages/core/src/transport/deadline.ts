import { TimeoutError } from '../errors.js';
import { abortedError, type Call, callSummary, closedError, type Policy, tries } from './call.js';

/**
 * Before each attempt (retries, redirects and resends alike): the caller has not aborted, the
 * client is not closing under a call that already sent, and time is left; the attempt's limit is
 * the per-attempt timeout, cut to what is left of `retry.maxElapsedMs`.
 */
export function deadlinePolicy(closing: () => boolean, maxElapsedMs: number): Policy {
  return (call, next) => {
    if (call.signal?.aborted) throw abortedError(call);
    if (closing() && call.sent) throw closedError(call);
    const remaining = call.deadline - Date.now();
    call.cut = remaining < call.timeoutMs;
    if (remaining <= 0) throw timedOut(call, maxElapsedMs);
    call.limitMs = Math.min(call.timeoutMs, remaining);
    return next(call);
  };
}

/** The call ran out of time: its last attempt's own limit, or the whole call's when that cut it. */
export function timedOut(call: Call, maxElapsedMs: number): TimeoutError {
  const { cut, attempt, timeoutMs } = call;
  return new TimeoutError(
    `${call.operation}: no complete response within ${cut ? `retry.maxElapsedMs (${maxElapsedMs} ms) for the whole call` : `${timeoutMs} ms`} (${tries(attempt)})`,
    { ...callSummary(call), attempts: attempt, timeoutMs: cut ? maxElapsedMs : timeoutMs, limit: cut ? 'maxElapsedMs' : 'timeoutMs' },
  );
}
