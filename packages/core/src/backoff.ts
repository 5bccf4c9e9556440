/**
 * The one backoff formula, for the transport's retries and the poller's intervals alike: a random
 * wait between a floor and a ceiling that doubles per step, `min(maxMs, baseMs·2^exponent)`.
 * The floor differs on purpose: a retry uses equal jitter (half the ceiling, so that even
 * `Retry-After: 0` never turns retries into a busy loop), the poller never polls sooner than its
 * minimum interval. Unrounded: each caller rounds as its documented figures say.
 */
export function jitteredBackoff(
  exponent: number,
  range: { baseMs: number; maxMs: number; floor: 'half-ceiling' | 'base' },
  random: () => number,
): number {
  const ceiling = Math.min(range.maxMs, range.baseMs * 2 ** exponent);
  const least = range.floor === 'base' ? range.baseMs : ceiling / 2;
  return least + random() * (ceiling - least);
}
