/** How failed attempts are retried. Only idempotent requests are ever retried. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  retries?: number;
  /** Base of the exponential backoff; attempt n waits a random time in [0, base·2ⁿ⁻¹] ("full jitter"). Default 200 ms. */
  baseDelayMs?: number;
  /** Longest single wait, `Retry-After` included; a server asking for longer is not retried. Default 10 s. */
  maxDelayMs?: number;
  /** No retry starts once the call has run this long. Default 60 s. */
  maxElapsedMs?: number;
  /** Statuses worth another attempt. Default 429, 502, 503, 504. */
  statuses?: readonly number[];
}

export type ResolvedRetry = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxElapsedMs: 60_000,
  statuses: Object.freeze([429, 502, 503, 504]),
});

export const NO_RETRY: ResolvedRetry = Object.freeze({ ...DEFAULT_RETRY, retries: 0 });

export function resolveRetry(retry: RetryOptions | boolean | undefined): ResolvedRetry {
  if (retry === false) return NO_RETRY;
  if (retry === undefined || retry === true) return DEFAULT_RETRY;
  const resolved = { ...DEFAULT_RETRY, ...retry };
  for (const key of ['retries', 'baseDelayMs', 'maxDelayMs', 'maxElapsedMs'] as const) {
    const value = resolved[key];
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`retry.${key} must be a non-negative number, got ${value}`);
  }
  return resolved;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** Full-jitter exponential backoff before retry number `retry` (1-based). */
export function backoffDelay(retry: number, options: ResolvedRetry, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month; a bare number like "-1" is not one (Date.parse would take it).
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
