// Simulated time: a manual clock moved only by advance(), or real time times a speed factor.

export interface Clock {
  readonly manual: boolean;
  /** Simulated epoch milliseconds. */
  now(): number;
  advance(ms: number): void;
}

export function manualClock(start: number): Clock {
  let now = start;
  return {
    manual: true,
    now: () => now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms): ms must be a finite number ≥ 0, not ${ms}`);
      now += ms;
    },
  };
}

/** Real time from `start`, `speed` times faster (1: wall-clock pace). */
export function scaledRealClock(start: number, speed: number): Clock {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`clock.speed must be a finite number > 0, not ${speed}`);
  const origin = performance.now();
  return {
    manual: false,
    // Whole milliseconds, so times print without fractions.
    now: () => start + Math.floor((performance.now() - origin) * speed),
    advance() {
      throw new TypeError('advance() needs the manual clock: startSimulator({ clock: "manual" })');
    },
  };
}
