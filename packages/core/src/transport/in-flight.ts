import { sleep } from '../signal.js';

/** How long `close()` lets a request that is not written yet (still connecting) get written. */
export const CLOSE_GRACE_MS = 2_000;

/**
 * The attempts a transport has under way, so that `close()` lets them end before the pool goes:
 * retry waits end at once, requests still connecting get a short grace, written ones their own
 * time limit. Then nothing of the caller's is left for the pool, which is destroyed, a stalled
 * handshake with it.
 */
export class InFlight {
  readonly #attempts = new Set<Promise<unknown>>();
  readonly #waits = new AbortController();
  readonly #unsent = new AbortController();

  /** Aborted when closing starts: ends retry waits. */
  get waits(): AbortSignal {
    return this.#waits.signal;
  }

  /** Aborted when the grace is over: ends attempts whose request is not written yet. */
  get unsent(): AbortSignal {
    return this.#unsent.signal;
  }

  track<T>(attempt: Promise<T>): Promise<T> {
    this.#attempts.add(attempt);
    const forget = (): void => void this.#attempts.delete(attempt);
    attempt.then(forget, forget);
    return attempt;
  }

  /** Resolves once every attempt has ended. */
  async drain(graceMs = CLOSE_GRACE_MS): Promise<void> {
    this.#waits.abort();
    const ended = new AbortController();
    const allEnded = this.#settled().then(() => ended.abort());
    await Promise.race([allEnded, sleep(graceMs, ended.signal).catch(() => undefined)]);
    ended.abort();
    this.#unsent.abort();
    await this.#settled();
  }

  async #settled(): Promise<void> {
    while (this.#attempts.size > 0) await Promise.allSettled([...this.#attempts]);
  }
}
