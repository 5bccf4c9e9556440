import { describe, expect, it } from 'vitest';
import { jitteredBackoff } from './backoff.js';

describe('jitteredBackoff', () => {
  it('draws between the floor and a ceiling that doubles per step up to maxMs: half the ceiling (retries) or the base (polls)', () => {
    const retry = { baseMs: 100, maxMs: 1_000, floor: 'half-ceiling' } as const;
    const poll = { baseMs: 100, maxMs: 1_000, floor: 'base' } as const;
    expect(jitteredBackoff(2, retry, () => 0)).toBe(200);
    expect(jitteredBackoff(2, retry, () => 1)).toBe(400);
    expect(jitteredBackoff(20, retry, () => 0)).toBe(500);
    expect(jitteredBackoff(2, poll, () => 0)).toBe(100);
    expect(jitteredBackoff(2, poll, () => 1)).toBe(400);
    expect(jitteredBackoff(20, poll, () => 1)).toBe(1_000);
  });
});
