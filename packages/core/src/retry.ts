import { jitteredBackoff } from './backoff.js';
import { ConfigurationError } from './errors.js';

/** The longest delay a Node.js timer can hold (2³¹−1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** How failed attempts are retried. Only idempotent requests are ever retried. */
export interface RetryOptions {
  /** Retries after the first attempt, an integer 0–100. Default 2. */
  retries?: number | undefined;
  /**
   * Base of the exponential backoff: retry n waits a random time in [½·base·2ⁿ⁻¹, base·2ⁿ⁻¹]
   * ("equal jitter"), at most `maxDelayMs`. Default 200 ms.
   */
  baseDelayMs?: number | undefined;
  /** Longest single wait. A server asking (`Retry-After`) for longer ends the call with `RetryAfterTooLongError`. Default 10 s. */
  maxDelayMs?: number | undefined;
  /** Bounds the whole call, waits and attempts included: the last attempt's timeout is cut to what remains. Default 60 s. */
  maxElapsedMs?: number | undefined;
  /** Statuses worth another attempt. Default 429, 502, 503, 504. */
  statuses?: readonly number[] | undefined;
}

export type ResolvedRetry = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxElapsedMs: 60_000,
  statuses: Object.freeze([429, 502, 503, 504]),
});

/** `retry: false`: one attempt, bounded by its own timeout only. */
export const NO_RETRY: ResolvedRetry = Object.freeze({ ...DEFAULT_RETRY, retries: 0, maxElapsedMs: MAX_TIMER_MS });

/** A delay or timeout option: finite, positive, and short enough for a timer. */
export function checkDelay(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new ConfigurationError(option, `${option} must be a number of milliseconds in (0, ${MAX_TIMER_MS}], got ${describe(value)}`);
  }
  return value;
}

/** A count option: an integer in [min, max]. */
export function checkCount(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(option, `${option} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

// Option values here are numbers, never credentials, so showing them is safe.
const describe = (value: unknown): string => (typeof value === 'number' ? String(value) : typeof value);

export function resolveRetry(retry: RetryOptions | boolean | undefined): ResolvedRetry {
  if (retry === false) return NO_RETRY;
  if (retry === undefined || retry === true) return DEFAULT_RETRY;
  if (typeof retry !== 'object' || retry === null)
    throw new ConfigurationError('retry', `retry must be an object or a boolean, got ${typeof retry}`);
  const defined = Object.fromEntries(Object.entries(retry).filter(([, value]) => value !== undefined));
  const resolved: ResolvedRetry = { ...DEFAULT_RETRY, ...defined };
  checkCount('retry.retries', resolved.retries, 0, 100);
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxElapsedMs'] as const) checkDelay(`retry.${key}`, resolved[key]);
  if (!Array.isArray(resolved.statuses)) throw new ConfigurationError('retry.statuses', 'retry.statuses must be an array of HTTP statuses');
  resolved.statuses.forEach((status, i) => checkCount(`retry.statuses[${i}]`, status, 100, 599));
  return Object.freeze({ ...resolved, statuses: Object.freeze([...resolved.statuses]) });
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/**
 * Equal-jitter exponential backoff before retry number `retry` (1-based): at least half the
 * ceiling, so that even `Retry-After: 0` never turns retries into a busy loop.
 */
export function backoffDelay(retry: number, options: ResolvedRetry, random: () => number = Math.random): number {
  return Math.floor(jitteredBackoff(retry - 1, { baseMs: options.baseDelayMs, maxMs: options.maxDelayMs, floor: 'half-ceiling' }, random));
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month; a bare number like "-1" is not one (Date.parse would take it).
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
