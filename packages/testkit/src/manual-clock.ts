interface Sleeper {
  wakeAt: number;
  resolve(): void;
}

/**
 * A stepped clock for waits and watches (`options.clock`): time moves only when the test
 * advances it. `run` drives code under test without real sleeps: whenever that code is asleep
 * on this clock, the clock jumps to the earliest wake-up (moving a simulator's clock with it
 * through `onAdvance`), so each poll sees the world as it is at that time.
 */
export class ManualClock {
  #now: number;
  readonly #sleepers = new Set<Sleeper>();
  readonly #onAdvance: ((ms: number) => Promise<void> | void) | undefined;
  #wakeDriver: (() => void) | undefined;

  constructor(options: { start?: number; onAdvance?: (ms: number) => Promise<void> | void } = {}) {
    this.#now = options.start ?? Date.parse('2026-01-01T00:00:00Z');
    this.#onAdvance = options.onAdvance;
  }

  /**
   * A clock that moves a simulator on its manual clock (`startSimulator({ clock: 'manual' })`)
   * with it, then calls `afterStep` (e.g. to sample what the simulator lists at that time).
   */
  static following(sim: { now(): Date; advance(ms: number): Promise<void> }, afterStep?: () => void): ManualClock {
    return new ManualClock({
      start: sim.now().getTime(),
      onAdvance: async (ms) => {
        await sim.advance(ms);
        afterStep?.();
      },
    });
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const sleeper: Sleeper = {
        wakeAt: this.#now + Math.max(0, ms),
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers.delete(sleeper);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
      this.#wakeDriver?.();
    });
  }

  /** How many waits are pending on this clock. */
  get sleeping(): number {
    return this.#sleepers.size;
  }

  /** Moves time forward by `ms` (the simulator first), waking every sleeper due by then. */
  async advance(ms: number): Promise<void> {
    await this.#onAdvance?.(ms);
    this.#now += ms;
    for (const sleeper of [...this.#sleepers].sort((a, b) => a.wakeAt - b.wakeAt)) {
      if (sleeper.wakeAt > this.#now) break;
      this.#sleepers.delete(sleeper);
      sleeper.resolve();
    }
  }

  /**
   * Settles `promise`, advancing the clock each time the code under test goes to sleep on it.
   * Real I/O (HTTP requests) runs in between at its own pace: nothing here guesses its duration.
   */
  async run<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
    let result: PromiseSettledResult<T> | undefined;
    const done = promise.then(
      (value) => {
        result = { status: 'fulfilled', value };
      },
      (reason: unknown) => {
        result = { status: 'rejected', reason };
      },
    );
    while (!result) {
      if (this.#sleepers.size === 0) {
        // Wait until the code sleeps on this clock again, or finishes.
        await Promise.race([done, new Promise<void>((resolve) => (this.#wakeDriver = resolve))]);
        this.#wakeDriver = undefined;
        continue;
      }
      const next = Math.min(...[...this.#sleepers].map((s) => s.wakeAt));
      await this.advance(next - this.#now);
    }
    return result;
  }

  /** Like `run`, but returns the value or throws the rejection. */
  async settle<T>(promise: Promise<T>): Promise<T> {
    const result = await this.run(promise);
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  }
}
