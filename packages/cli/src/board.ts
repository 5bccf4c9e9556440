import { isTerminalTaskState, type TaskSnapshot, type VmtasksError, type WatchEvent } from '@vmtasks/core';

/** Which appliance a board entry is about (the API's name for the environment's single pair). */
export type ApplianceName = string;

/** A task on the board: its latest snapshot, and whether it has left the API's list. */
export interface BoardTask {
  snapshot: TaskSnapshot;
  /** The API stopped listing it (Velostrata drops finished tasks after a while). */
  gone: boolean;
}

/** Trouble the poller is riding out for one API; cleared by its next successful poll. */
export interface TransientNote {
  api: ApplianceName;
  error: VmtasksError;
  failures: number;
  retryInMs: number;
  at: number;
}

/** The appliance a snapshot came from (the CLI stamps it: sources.ts), else its API. */
export const applianceOf = (snapshot: TaskSnapshot): string => (snapshot as { appliance?: string }).appliance ?? snapshot.api;

const keyOf = (snapshot: TaskSnapshot): string => `${applianceOf(snapshot)}\u0000${snapshot.id}`;

/** An API whose polls have not succeeded for its watch's `stallAfterMs`; cleared when one does. */
export interface StallNote {
  api: ApplianceName;
  /** Clock ms of its last successful poll (or of the watch's start). */
  since: number;
  lastError: VmtasksError;
}

/**
 * What a watch has seen so far, fed by the event streams of every API watched. The renderers
 * read it; it knows nothing about terminals.
 */
export class TaskBoard {
  readonly #tasks = new Map<string, BoardTask>();
  readonly #polled = new Set<ApplianceName>();
  readonly #notes = new Map<ApplianceName, TransientNote>();
  readonly #stalls = new Map<ApplianceName, StallNote>();

  #apis: ApplianceName[];

  constructor(apis: readonly ApplianceName[]) {
    this.#apis = [...apis];
  }

  /** The appliances watched (those left out excepted). */
  get apis(): readonly ApplianceName[] {
    return this.#apis;
  }

  /** Stops waiting for an appliance that cannot be asked: the board can be ready and settled without it. */
  leaveOut(appliance: ApplianceName): void {
    this.#apis = this.#apis.filter((each) => each !== appliance);
    this.#notes.delete(appliance);
  }

  /** Applies one event; `now` stamps transient notes. */
  apply(api: ApplianceName, event: WatchEvent, now: number): void {
    switch (event.type) {
      case 'appeared':
      case 'changed':
      case 'finished':
        this.#tasks.set(keyOf(event.snapshot), { snapshot: event.snapshot, gone: false });
        break;
      case 'disappeared':
        this.#tasks.set(keyOf(event.snapshot), { snapshot: event.snapshot, gone: true });
        break;
      case 'transient-failure':
        this.#notes.set(api, { api, error: event.error, failures: event.failures, retryInMs: event.retryInMs, at: now });
        break;
      case 'polled':
        this.#polled.add(api);
        this.#notes.delete(api);
        break;
      case 'stalled':
        this.#stalls.set(api, { api, since: Date.parse(event.since), lastError: event.lastError });
        break;
      case 'recovered':
        this.#stalls.delete(api);
        break;
    }
  }

  /** Records a snapshot seen outside a watch (a waiter's progress callback). */
  set(snapshot: TaskSnapshot): void {
    this.#tasks.set(keyOf(snapshot), { snapshot, gone: false });
    this.#polled.add(applianceOf(snapshot));
    this.#notes.delete(applianceOf(snapshot));
  }

  get tasks(): BoardTask[] {
    return [...this.#tasks.values()];
  }

  get notes(): TransientNote[] {
    return [...this.#notes.values()];
  }

  get stalls(): StallNote[] {
    return [...this.#stalls.values()];
  }

  /** True once every API has answered at least once. */
  get ready(): boolean {
    return this.apis.every((api) => this.#polled.has(api));
  }

  /** True when every API has answered and no task it listed is still going. */
  get settled(): boolean {
    return this.ready && this.tasks.every((task) => outcomeOf(task) !== undefined);
  }

  /** Tasks that did not succeed: failed, cancelled, or gone before they finished. */
  get unsuccessful(): BoardTask[] {
    return this.tasks.filter((task) => {
      const outcome = outcomeOf(task);
      return outcome !== undefined && outcome !== 'succeeded';
    });
  }
}

/** How a task ended: its terminal state, `unknown` when it left the list before one, undefined while it runs. */
export function outcomeOf({ snapshot, gone }: BoardTask): Outcome | undefined {
  if (isTerminalTaskState(snapshot.state)) return snapshot.state as Outcome;
  return gone ? 'unknown' : undefined;
}

export type Outcome = 'succeeded' | 'failed' | 'cancelled' | 'unknown';
