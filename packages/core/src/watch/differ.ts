import { fingerprint, type WatchCheckpoint } from './checkpoint.js';
import type { TaskEvent } from './events.js';
import { isTerminalTaskState, sameSnapshot, type TaskSnapshot } from './snapshot.js';

interface Entry<Item> {
  snapshot: TaskSnapshot;
  /** Undefined only for a task known from a checkpoint and not listed since. */
  item: Item | undefined;
  /** The poll that last listed it. */
  seen: number;
  /** For a task known from a checkpoint, until it is listed: its fingerprint there. */
  restored?: string | undefined;
}

/**
 * Turns successive listings into task events. Keeps one snapshot and one item per task listed
 * in the last poll, so memory follows the list, not the history. Written here because it is a
 * keyed comparison of flat records, simpler than adapting a generic object-diff library.
 */
export class TaskDiffer<Item> {
  readonly #tasks = new Map<string, Entry<Item>>();
  readonly #toSnapshot: (item: Item) => TaskSnapshot | undefined;
  readonly #only: string | undefined;
  #poll = 0;

  /**
   * `toSnapshot` returns undefined for an item that cannot be followed (no id). With `only`,
   * every other task is ignored.
   */
  constructor(toSnapshot: (item: Item) => TaskSnapshot | undefined, only?: string) {
    this.#toSnapshot = toSnapshot;
    this.#only = only;
  }

  /**
   * Starts from a checkpoint instead of from nothing: its tasks count as seen, with a snapshot of
   * only what it kept (api, id, state). Call before the first `diff`.
   */
  restore(checkpoint: WatchCheckpoint): void {
    // A checkpoint with tasks names their api (readCheckpoint).
    for (const [id, { state, fingerprint }] of Object.entries(checkpoint.tasks)) {
      if (this.#only !== undefined && id !== this.#only) continue;
      const snapshot: TaskSnapshot = { api: checkpoint.api!, id, state };
      this.#tasks.set(id, { snapshot, item: undefined, seen: this.#poll, restored: fingerprint });
    }
  }

  /** How many tasks are followed now. */
  get size(): number {
    return this.#tasks.size;
  }

  /** The events since the previous listing: task events in list order, then disappearances. */
  diff(items: Iterable<Item>): TaskEvent<Item>[] {
    const poll = ++this.#poll;
    const events: TaskEvent<Item>[] = [];
    let listed = 0;
    for (const item of items) {
      const snapshot = this.#toSnapshot(item);
      if (!snapshot || (this.#only !== undefined && snapshot.id !== this.#only)) continue;
      const entry = this.#tasks.get(snapshot.id);
      if (!entry) {
        this.#tasks.set(snapshot.id, { snapshot, item, seen: poll });
        listed++;
        events.push(
          isTerminalTaskState(snapshot.state)
            ? { type: 'finished', snapshot, previous: undefined, item }
            : { type: 'appeared', snapshot, item },
        );
        continue;
      }
      // Listed twice in one answer: the first one counts.
      if (entry.seen === poll) continue;
      entry.seen = poll;
      listed++;
      const previous = entry.snapshot;
      const { restored } = entry;
      entry.restored = undefined;
      if (restored === undefined ? sameSnapshot(previous, snapshot) : restored === fingerprint(snapshot)) {
        entry.snapshot = snapshot;
        entry.item = item;
        continue;
      }
      // A finished task stays finished: later differences (an end time filled in) are kept
      // quietly for the last-seen view, and are not transitions.
      if (isTerminalTaskState(previous.state)) {
        if (isTerminalTaskState(snapshot.state)) {
          entry.snapshot = snapshot;
          entry.item = item;
        }
        continue;
      }
      entry.snapshot = snapshot;
      entry.item = item;
      events.push(
        isTerminalTaskState(snapshot.state)
          ? { type: 'finished', snapshot, previous, item }
          : { type: 'changed', snapshot, previous, item },
      );
    }
    // Every task followed was listed again: nothing disappeared, no need to look.
    if (listed === this.#tasks.size) return events;
    for (const [id, entry] of this.#tasks) {
      if (entry.seen === poll) continue;
      this.#tasks.delete(id);
      events.push({ type: 'disappeared', snapshot: entry.snapshot, item: entry.item });
    }
    return events;
  }
}
