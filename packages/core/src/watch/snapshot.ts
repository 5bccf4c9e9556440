/** A task's state, the same words for every API. */
export type TaskState = 'pending' | 'running' | 'blocked' | 'cancelling' | 'failing' | 'succeeded' | 'failed' | 'cancelled';

/** Every state, in the order a task usually goes through them (for sorting and summaries). */
export const TASK_STATES: readonly TaskState[] = Object.freeze([
  'pending',
  'running',
  'blocked',
  'cancelling',
  'failing',
  'succeeded',
  'failed',
  'cancelled',
]);

const TERMINAL: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'cancelled']);

/** True for the states a task never leaves: succeeded, failed, cancelled. */
export function isTerminalTaskState(state: TaskState): boolean {
  return TERMINAL.has(state);
}

/**
 * One task as seen at one poll, in a model both APIs map onto (each client's `toSnapshot`).
 * Plain data: safe to compare, log and serialize.
 */
export interface TaskSnapshot {
  /** The name of the API the task belongs to (`'velostrata'`, `'snapservice'`, …): core knows no API by name. */
  api: string;
  id: string;
  /** What the task does: Velostrata `taskType`, snapservice `operation`. */
  kind?: string;
  /** What it works on: Velostrata `entity.value`, snapservice `target.id`. */
  target?: string;
  state: TaskState;
  /** Fraction done, 0..1; undefined when the API does not say. */
  progress?: number;
  /** The latest progress message. */
  message?: string;
  /** A one-line summary of the task's error. */
  error?: string;
  /** ISO 8601, as the API sent it. */
  startedAt?: string;
  endedAt?: string;
  user?: string;
}

/**
 * True when two snapshots describe the same thing (field by field; absent equals undefined).
 * Spelled out rather than looped over keys: it runs for every task at every poll.
 */
export function sameSnapshot(a: TaskSnapshot, b: TaskSnapshot): boolean {
  return (
    a.state === b.state &&
    a.progress === b.progress &&
    a.message === b.message &&
    a.error === b.error &&
    a.startedAt === b.startedAt &&
    a.endedAt === b.endedAt &&
    a.id === b.id &&
    a.api === b.api &&
    a.kind === b.kind &&
    a.target === b.target &&
    a.user === b.user
  );
}

/** A fraction clamped to 0..1, or undefined when `done / total` is not a number. */
export function progressFraction(done: number | undefined, total: number | undefined): number | undefined {
  if (typeof done !== 'number' || typeof total !== 'number' || !(total > 0) || !Number.isFinite(done)) return undefined;
  return Math.min(1, Math.max(0, done / total));
}
