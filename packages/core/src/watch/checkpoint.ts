import { createHash } from 'node:crypto';
import { InvalidRequestError, type RequestSummary } from '../errors.js';
import type { WatchEvent } from './events.js';
import { TASK_STATES, type TaskSnapshot, type TaskState } from './snapshot.js';

/**
 * Where a watch was, to resume from after a restart (`watchTasks({ resumeFrom })`): plain JSON,
 * small, and free of the server's text — per task only its id, its state and a fingerprint of
 * its snapshot as last announced. Like core-lro's `serialize()`, opaque to read, safe to store.
 */
export interface WatchCheckpoint {
  /** The format; a watch refuses one it does not know. */
  version: 1;
  /** The API the tasks belong to, as their snapshots name it; absent while no task was seen. */
  api?: TaskSnapshot['api'];
  /** Every task announced and not since `disappeared`, by id. */
  tasks: Record<string, CheckpointTask>;
}

export interface CheckpointTask {
  /** Its state when last announced: a finished task stays finished, whatever changes later. */
  state: TaskState;
  /** Tells "unchanged since" from "changed": a hash of the fields `sameSnapshot` compares. */
  fingerprint: string;
}

/** A short hash of a snapshot: equal for snapshots `sameSnapshot` calls the same. */
export function fingerprint(snapshot: TaskSnapshot): string {
  const fields = [
    snapshot.api,
    snapshot.id,
    snapshot.kind,
    snapshot.target,
    snapshot.state,
    snapshot.progress,
    snapshot.message,
    snapshot.error,
    snapshot.startedAt,
    snapshot.endedAt,
    snapshot.user,
  ];
  // 96 bits: collisions between two versions of one task are not a concern.
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 16);
}

/** Follows the events a consumer was given, so that its checkpoint says exactly what it has seen. */
export class CheckpointTracker {
  #api: TaskSnapshot['api'] | undefined;
  readonly #tasks: Map<string, CheckpointTask>;

  constructor(from?: WatchCheckpoint) {
    this.#api = from?.api;
    this.#tasks = new Map(from ? Object.entries(from.tasks) : []);
  }

  /** Takes in one event the consumer was given (task events count; notices do not). */
  apply(event: WatchEvent<unknown>): void {
    switch (event.type) {
      case 'appeared':
      case 'changed':
      case 'finished':
        this.#api = event.snapshot.api;
        this.#tasks.set(event.snapshot.id, { state: event.snapshot.state, fingerprint: fingerprint(event.snapshot) });
        break;
      case 'disappeared':
        this.#tasks.delete(event.snapshot.id);
        break;
      default:
        break;
    }
  }

  /** A fresh copy, safe to keep or serialize while the watch goes on. */
  checkpoint(): WatchCheckpoint {
    const tasks = Object.fromEntries([...this.#tasks].map(([id, task]) => [id, { ...task }]));
    return this.#api === undefined ? { version: 1, tasks } : { version: 1, api: this.#api, tasks };
  }
}

const STATES: ReadonlySet<unknown> = new Set(TASK_STATES);
const FINGERPRINT = /^[A-Za-z0-9_-]{1,64}$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` is not a checkpoint (`has no tasks object`), or undefined when it is one. Names fields, never echoes values (they may come from anywhere). */
export function checkpointProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'is not an object';
  if (value.version !== 1) return 'has an unknown version (expected 1)';
  if (value.api !== undefined && (typeof value.api !== 'string' || value.api === '')) return 'has an api that is not a non-empty string';
  if (!isPlainObject(value.tasks)) return 'has no tasks object';
  if (value.api === undefined && Object.keys(value.tasks).length > 0) return 'has tasks but no api';
  let index = 0;
  for (const [id, task] of Object.entries(value.tasks)) {
    index++;
    if (id === '') return 'has a task with an empty id';
    if (!isPlainObject(task) || !STATES.has(task.state) || typeof task.fingerprint !== 'string' || !FINGERPRINT.test(task.fingerprint)) {
      return `has a task (number ${index}) that is not { state, fingerprint }`;
    }
  }
  return undefined;
}

/** `value` as a checkpoint, or the call's `InvalidRequestError` naming `resumeFrom`. */
export function readCheckpoint(value: unknown, request: RequestSummary): WatchCheckpoint {
  const problem = checkpointProblem(value);
  if (problem) {
    throw new InvalidRequestError(`${request.operation}: resumeFrom ${problem}; pass a value checkpoint() returned`, {
      ...request,
      parameter: 'resumeFrom',
    });
  }
  const checked = value as WatchCheckpoint;
  return { version: 1, ...(checked.api === undefined ? {} : { api: checked.api }), tasks: checked.tasks };
}
