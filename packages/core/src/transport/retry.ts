import { RetryAfterTooLongError, TransportError } from '../errors.js';
import { AttemptFailure, type Received } from './attempt.js';
import { describeFailure, failureCode } from './failure.js';
import { backoffDelay, type ResolvedRetry } from '../retry.js';
import { sleep } from '../signal.js';
import { abortedError, type Call, callSummary, closedError, type Policy, tries } from './call.js';
import type { FailureClassifier } from './classify.js';
import { timedOut } from './deadline.js';

/**
 * Retries what the classifier deems healable — failed attempts and retried statuses — for
 * idempotent calls only, at most `retry.retries` times, each wait a backoff (never shorter than a
 * `Retry-After`) that must end before the call's deadline. A `Retry-After` beyond what the policy
 * allows ends the call with `RetryAfterTooLongError` rather than a silent give-up. The waits end
 * at once when the caller aborts or the client closes (`waits`).
 */
export function retryPolicy(retry: ResolvedRetry, classifier: FailureClassifier, random: () => number, waits: AbortSignal): Policy {
  const pause = async (call: Call, ms: number): Promise<void> => {
    try {
      await sleep(ms, call.signal, waits);
    } catch {
      throw call.signal?.aborted ? abortedError(call) : closedError(call);
    }
    call.attempt++;
  };
  const retriable = (call: Call): boolean => call.idempotent && call.attempt <= retry.retries;

  return async (call, next) => {
    for (;;) {
      let received: Received;
      try {
        received = await next(call);
      } catch (failure) {
        if (!(failure instanceof AttemptFailure)) throw failure;
        const verdict = classifier.attempt(failure, call.cut);
        const delay = backoffDelay(call.attempt, retry, random);
        if (verdict.type !== 'fatal' && retriable(call) && Date.now() + delay < call.deadline) {
          const reason = failure.kind === 'timeout' ? 'timeout' : 'network';
          await call.onRetry?.(call, { delayMs: delay, status: undefined, reason, code: failureCode(failure.cause) });
          await pause(call, delay);
          continue;
        }
        if (failure.kind === 'timeout') throw timedOut(call, retry.maxElapsedMs);
        throw new TransportError(
          `${call.operation}: ${call.method} ${callSummary(call).url} failed after ${tries(call.attempt)}: ${describeFailure(failure.cause)}`,
          { ...callSummary(call), attempts: call.attempt, code: failureCode(failure.cause) },
          { cause: failure.cause },
        );
      }
      if (!retriable(call)) return received;
      const verdict = classifier.response(received.status, firstHeader(received, 'retry-after'));
      if (verdict.type === 'fatal') return received;
      const asked = verdict.type === 'retry-after' ? verdict.ms : undefined;
      const left = call.deadline - Date.now();
      if (asked !== undefined && (asked > retry.maxDelayMs || asked >= left)) {
        const limitMs = Math.max(0, Math.min(retry.maxDelayMs, left));
        throw new RetryAfterTooLongError(
          `${call.operation}: HTTP ${received.status} asks to retry after ${seconds(asked)}; the retry policy allows ${seconds(limitMs)} ` +
            `(${asked > retry.maxDelayMs ? `retry.maxDelayMs` : `what is left of retry.maxElapsedMs`})`,
          { ...callSummary(call), status: received.status, retryAfterMs: asked, limitMs, attempts: call.attempt },
        );
      }
      // Never sooner than the backoff: `Retry-After: 0` must not become a busy loop.
      const delay = Math.max(asked ?? 0, backoffDelay(call.attempt, retry, random));
      if (Date.now() + delay >= call.deadline) return received;
      await call.onRetry?.(call, { delayMs: delay, status: received.status, reason: 'status', code: undefined });
      await pause(call, delay);
    }
  };
}

function firstHeader(received: Received, name: string): string | undefined {
  const value = received.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const seconds = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`);
