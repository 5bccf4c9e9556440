import { AbortError, ClientClosedError, type RequestSummary } from '../errors.js';
import type { Received } from './attempt.js';
import { safeUrl } from '../redact.js';
import type { CallRecord } from './telemetry.js';

/**
 * One call as it goes through the policies: what is sent next (a redirect changes the URL and
 * may change the method), and the call's counters and bounds. Policies share it by design: the
 * redirect count, the attempt number and the stale-connection resend are per call, retries included.
 */
export interface Call {
  readonly operation: string;
  /** The operation's path template under the base URL's path, when known (hooks and telemetry name the call by it). */
  readonly urlTemplate: string | undefined;
  /** The method the call was made with: only an idempotent one is ever sent twice. */
  readonly idempotent: boolean;
  /** The method the call was made with, which errors name; `method` is what is sent next. */
  readonly requestedMethod: string;
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** The per-attempt time limit (the client's, or this call's). */
  readonly timeoutMs: number;
  /** When the whole call must be over (`retry.maxElapsedMs` after it started), epoch ms. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  /** 1 for the first attempt; only a retry counts (not a redirect or a stale-connection resend). */
  attempt: number;
  redirects: number;
  /** Whether this attempt's time limit was cut short by `deadline`; set before each attempt. */
  cut: boolean;
  /** This attempt's time limit, ms; set before each attempt. */
  limitMs: number;
  /** The one resend, on a fresh connection, of a request a stale keep-alive connection lost. */
  staleResend: 'unused' | 'next' | 'used';
  /** Whether anything was sent yet: a call under way when the client closes finishes that request, and no other. */
  sent: boolean;
  /** Told before each retry's wait (hooks, telemetry); undefined when nobody listens. */
  onRetry: ((call: Call, notice: RetryNotice) => void | Promise<void>) | undefined;
}

/** Why attempt `call.attempt` is retried, and after how long. */
export interface RetryNotice {
  readonly delayMs: number;
  /** The status that is retried, or undefined when the attempt got no response. */
  readonly status: number | undefined;
  readonly reason: 'status' | 'timeout' | 'network';
  /** The system or undici error code of a failed attempt, e.g. `ECONNRESET`. */
  readonly code: string | undefined;
}

/** Sends the call on; resolves with the response that ends it. */
export type Next = (call: Call) => Promise<Received>;

/** One rule of the transport, around the rest of the pipeline. */
export type Policy = (call: Call, next: Next) => Promise<Received>;

/** The policies, outermost first, around `send`. */
export function pipeline(policies: readonly Policy[], send: Next): Next {
  return policies.reduceRight<Next>((next, policy) => (call) => policy(call, next), send);
}

export function callSummary(call: Call): RequestSummary {
  return { operation: call.operation, method: call.requestedMethod, url: safeUrl(call.url.href) };
}

export function abortedError(call: Call): AbortError {
  return new AbortError(`${call.operation}: aborted by the caller`, callSummary(call), { cause: call.signal?.reason });
}

export function closedError(call: Call): ClientClosedError {
  return new ClientClosedError(`${call.operation}: the client was closed during the call`, callSummary(call));
}

export const tries = (attempts: number): string => (attempts === 1 ? '1 attempt' : `${attempts} attempts`);

/** One call as hooks and telemetry follow it, from before its request is built to its end. */
export interface Observed {
  readonly urlTemplate: string | undefined;
  /** `performance.now()` when the call began. */
  readonly started: number;
  /** Set once the request is checked and about to go through the pipeline. */
  call: Call | undefined;
  record: CallRecord | undefined;
}
