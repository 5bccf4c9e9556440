// Faults queued for the next requests to one appliance.
import type { Fault } from './types.js';

export class FaultQueue {
  readonly #queue: { fault: Fault; remaining: number }[] = [];

  add(fault: Fault, count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`injectFault: count must be an integer ≥ 1, not ${count}`);
    if (fault.kind === 'slow' && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
      throw new RangeError(`injectFault: a slow fault needs delayMs ≥ 0, not ${fault.delayMs}`);
    }
    this.#queue.push({ fault, remaining: count });
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** The fault the next request suffers, if any; uses up one of its count. */
  take(): Fault | undefined {
    const head = this.#queue[0];
    if (!head) return undefined;
    if (--head.remaining === 0) this.#queue.shift();
    return head.fault;
  }
}
