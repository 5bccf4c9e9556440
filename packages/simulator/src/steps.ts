// A script's steps on the simulated time line: `afterMs` counts from the previous step.
import type { RemovedStep } from './types.js';

const DEFAULT_STEP_MS = 1000;

export function isRemoved(step: object): step is RemovedStep {
  return 'removed' in step && (step as RemovedStep).removed === true;
}

/** Each step with its absolute time; the first step is `start + afterMs` (default 0). */
export function timed<S extends { afterMs?: number }>(steps: readonly S[], start: number): { at: number; step: S }[] {
  if (steps.length === 0) throw new TypeError('a task script needs at least one step');
  let at = start;
  return steps.map((step, i) => {
    const after = step.afterMs ?? (i === 0 ? 0 : DEFAULT_STEP_MS);
    if (!Number.isFinite(after) || after < 0) throw new RangeError(`step ${i}: afterMs must be a finite number ≥ 0, not ${after}`);
    at += after;
    return { at, step };
  });
}

/** Throws when a step follows the one that ends the task. */
export function assertNothingAfterEnd(index: number, total: number, what: string): void {
  if (index < total - 1) throw new TypeError(`step ${index} ${what}: no step may follow it`);
}

/** Steps planned at absolute offsets (from the start of the scenario) as a script's relative steps. */
export function relative<S extends object>(planned: readonly (S & { at: number })[]): (S & { afterMs: number })[] {
  let previous = 0;
  return planned.map(({ at, ...step }) => {
    const afterMs = at - previous;
    previous = at;
    return { ...(step as unknown as S), afterMs };
  });
}
