import type { WatchClock } from '@vmtasks/core';
import type { Simulator } from '@vmtasks/simulator';

interface Sleeper {
  due: number;
  wake(): void;
}

/**
 * The CLI's clock in lockstep with a simulator's manual clock: `now()` is the simulator's time,
 * and a `sleep` resolves only when the test moves both clocks past its end (`advance`, `next`).
 * No real time passes for a command's waits, so a test's outcome cannot depend on how fast the
 * machine is: a pending sleep means everything the command did before it has happened.
 */
export class LockstepClock implements WatchClock {
  readonly #sim: Simulator;
  readonly #sleepers = new Set<Sleeper>();
  readonly #onChange = new Set<() => void>();

  constructor(sim: Simulator) {
    this.#sim = sim;
  }

  now(): number {
    return this.#sim.now().getTime();
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        due: this.now() + ms,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers.delete(sleeper);
        this.#changed();
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
      this.#changed();
    });
  }

  /** How many sleeps are pending. */
  get sleeping(): number {
    return this.#sleepers.size;
  }

  /** Resolves once at least `count` sleeps are pending, or `unless` (a command's end) settles first. */
  until(count: number, unless?: Promise<unknown>): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.#sleepers.size < count) return;
        this.#onChange.delete(check);
        resolve();
      };
      this.#onChange.add(check);
      const settled = (): void => {
        this.#onChange.delete(check);
        resolve();
      };
      unless?.then(settled, settled);
      check();
    });
  }

  /** Moves the simulator and this clock forward by `ms`, waking every sleep due by then, earliest first. */
  async advance(ms: number): Promise<void> {
    await this.#sim.advance(ms);
    const now = this.now();
    const due = [...this.#sleepers].filter((sleeper) => sleeper.due <= now).sort((a, b) => a.due - b.due);
    for (const sleeper of due) {
      this.#sleepers.delete(sleeper);
      sleeper.wake();
    }
  }

  /** Moves both clocks to the end of the earliest pending sleep (none: not at all) and wakes it. */
  async next(): Promise<void> {
    const earliest = Math.min(...[...this.#sleepers].map((sleeper) => sleeper.due));
    if (Number.isFinite(earliest)) await this.advance(Math.max(0, earliest - this.now()));
  }

  /**
   * Runs the clocks until `finished` settles: whenever `loops` sleeps are pending (every polling
   * loop of the command is waiting), both clocks jump to the earliest one's end. Returns what
   * `finished` resolves to.
   */
  async runUntil<T>(finished: Promise<T>, loops = 1): Promise<T> {
    let settled = false;
    const done = (): void => {
      settled = true;
    };
    finished.then(done, done);
    for (;;) {
      await this.until(loops, finished);
      if (settled) return finished;
      await this.next();
    }
  }

  #changed(): void {
    for (const check of [...this.#onChange]) check();
  }
}
