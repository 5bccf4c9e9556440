import { sleep } from '../signal.js';

/**
 * Where a poller reads the time and waits. The default is real time; a test (or a simulator
 * with a manual clock) passes its own, so that waiting takes no real time at all. A custom clock
 * is stepped: the poller takes its waits between polls on it and assumes no time passes during
 * a poll (a poll in flight is then bounded by the client's own timeouts, not by `maxWaitMs`).
 */
export interface WatchClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Real time: `Date.now` and `setTimeout` (looked up at each call, so fake timers apply). */
export const realClock: WatchClock = Object.freeze({
  now: () => Date.now(),
  // The transport's sleep, which rejects with `false`; a clock's contract is the signal's reason.
  sleep: (ms: number, signal: AbortSignal) =>
    sleep(ms, signal).catch(() => {
      throw signal.reason;
    }),
});
