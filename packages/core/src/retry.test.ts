import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY, isIdempotent, MAX_TIMER_MS, parseRetryAfter, resolveRetry } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('2200000', now)).toBe(2_200_000_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('draws from [½·base·2ⁿ⁻¹, base·2ⁿ⁻¹], capped at maxDelayMs (equal jitter): never zero', () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(1, options, () => 0)).toBe(50);
    expect(backoffDelay(1, options, () => 0.999)).toBe(99);
    expect(backoffDelay(3, options, () => 0.5)).toBe(300);
    expect(backoffDelay(10, options, () => 0)).toBe(500);
    expect(backoffDelay(10, options, () => 0.999)).toBe(999);
  });
});

describe('resolveRetry', () => {
  it('defaults to 2 retries, turns off with false, and refuses what a timer cannot hold', () => {
    expect(resolveRetry(undefined).retries).toBe(2);
    expect(resolveRetry(false).retries).toBe(0);
    expect(resolveRetry({ retries: 5 }).baseDelayMs).toBe(DEFAULT_RETRY.baseDelayMs);
    expect(resolveRetry({ maxDelayMs: MAX_TIMER_MS }).maxDelayMs).toBe(MAX_TIMER_MS);
    const refused: [object, string][] = [
      [{ retries: -1 }, 'retry.retries'],
      [{ retries: 1.5 }, 'retry.retries'],
      [{ baseDelayMs: 0 }, 'retry.baseDelayMs'],
      [{ maxDelayMs: MAX_TIMER_MS + 1 }, 'retry.maxDelayMs'],
      [{ maxElapsedMs: Number.NaN }, 'retry.maxElapsedMs'],
      [{ statuses: [503, 99] }, 'retry.statuses[1]'],
    ];
    for (const [retry, option] of refused) {
      expect(() => resolveRetry(retry)).toThrow(ConfigurationError);
      expect(() => resolveRetry(retry)).toThrow(option);
    }
  });
  it('only ever retries idempotent methods', () => {
    expect(['GET', 'head', 'PUT', 'DELETE', 'OPTIONS'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false);
  });
});
