import { InvalidArgumentError } from 'commander';

/*
 * Durations on the command line, as `gh`, `kubectl --timeout` and Go's time.ParseDuration
 * users expect: a bare number is seconds (`30`, `0.5`), or numbers with units `ms`, `s`, `m`,
 * `h`, one or several (`500ms`, `90s`, `2m`, `1h`, `1m30s`, `1h15m`). Written here rather than
 * taken from `ms` (no compound values, and a bare number is milliseconds) or `parse-duration`
 * (it accepts "most types of noise", so a typo such as `1o` would pass): a flag's value is
 * either exactly a duration or refused.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const BARE_SECONDS = new RegExp(`^${NUMBER}$`);
const WITH_UNITS = new RegExp(`^(?:${NUMBER}(?:ms|s|m|h))+$`);
const PART = new RegExp(`(${NUMBER})(ms|s|m|h)`, 'g');

/** The longest duration a timer can wait for (about 24.8 days). */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** The shortest `--interval`: below it an appliance would get more than 10 requests a second per API. */
export const MIN_INTERVAL_MS = 100;

export const DURATION_SYNTAX = 'a number of seconds (30, 0.5) or with units ms, s, m, h (500ms, 90s, 2m, 1h, 1m30s)';

/** `30` → 30 000, `500ms` → 500, `1m30s` → 90 000; undefined when `text` is not a duration. */
export function durationMs(text: string): number | undefined {
  const value = text.trim();
  if (BARE_SECONDS.test(value)) return Math.round(Number(value) * 1000);
  if (!WITH_UNITS.test(value)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(ms);
}

/** A commander argument parser for a duration of at least `minMs`: anything else is a usage error (exit 2). */
export function durationOption(minMs = 1): (text: string) => number {
  return (text) => {
    const ms = durationMs(text);
    if (ms === undefined || ms <= 0) throw new InvalidArgumentError(`expected a positive duration: ${DURATION_SYNTAX}`);
    if (ms > MAX_DURATION_MS) throw new InvalidArgumentError(`at most ${formatMs(MAX_DURATION_MS)} (${MAX_DURATION_MS}ms)`);
    if (ms < minMs) throw new InvalidArgumentError(`at least ${formatMs(minMs)}, so as not to flood the appliance`);
    return ms;
  };
}

/** `100ms`, `1s`, `90s`: how a duration flag's limit is shown. */
function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 3_600_000) return `${ms / 1000}s`;
  return `${Math.floor(ms / 3_600_000)}h`;
}
