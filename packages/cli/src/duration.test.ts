import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { runMain } from '../test/fake-io.js';
import { durationMs, durationOption, MIN_INTERVAL_MS } from './duration.js';

describe('durations on the command line', () => {
  it('a bare number is seconds, as gh and kubectl --timeout users expect', () => {
    expect(durationMs('30')).toBe(30_000);
    expect(durationMs('0.5')).toBe(500);
    expect(durationMs(' 5 ')).toBe(5000);
  });

  it('takes ms, s, m and h, alone or together', () => {
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('2s')).toBe(2000);
    expect(durationMs('1.5m')).toBe(90_000);
    expect(durationMs('2h')).toBe(7_200_000);
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('1h15m')).toBe(4_500_000);
    expect(durationMs('1s500ms')).toBe(1500);
  });

  it('refuses anything else rather than guessing', () => {
    for (const bad of ['', 'soon', '1o', '5 s', '-1s', '1e3', '1d', '30sec', '1m 30s', '.5s', '1,000', 'ms', 's5'])
      expect(durationMs(bad), bad).toBeUndefined();
  });

  it('a flag refuses zero, more than a timer can wait, and an interval below the floor', () => {
    expect(() => durationOption()('0')).toThrow(InvalidArgumentError);
    expect(() => durationOption()('0.0001')).toThrow(/positive duration/);
    expect(() => durationOption()('1000h')).toThrow(/at most/);
    expect(() => durationOption(MIN_INTERVAL_MS)('50ms')).toThrow(/at least 100ms/);
    expect(durationOption(MIN_INTERVAL_MS)('100ms')).toBe(100);
  });

  const configured = { VELOSTRATA_URL: 'http://127.0.0.1:9/velostrata/api/v42', VELOSTRATA_PASSWORD: 'pw' };

  it.each([
    [
      ['wait', 'task-1', '--timeout', 'soon'],
      /option '--timeout <duration>' argument 'soon' is invalid\. expected a positive duration: a number of seconds/,
    ],
    [['wait', 'task-1', '--interval', '5ms'], /option '--interval <duration>' argument '5ms' is invalid\. at least 100ms/],
    [['watch', '--interval', '0.05'], /option '--interval <duration>' argument '0.05' is invalid\. at least 100ms/],
    [['watch', '--interval', '2x'], /argument '2x' is invalid\. expected a positive duration/],
  ])('vmtasks %j exits 2 with a line saying what a duration is', async (argv, message) => {
    const result = await runMain(argv, configured);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('--help says what a duration is', async () => {
    expect((await runMain(['--help'])).stdout).toMatch(/Durations .*: a bare number is seconds/);
  });
});
