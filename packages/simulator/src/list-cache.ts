// The answers to list queries, each kept while nothing it shows can have changed: until the first
// task reaches its next phase, or a task is added (clear). A 1,000-task list is half a megabyte of
// JSON; rendering it for every request was most of the simulator's time under load.

const MAX_QUERIES = 32;

interface Entry<T> {
  from: number;
  until: number;
  value: T;
}

export class ListCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  /** The answer kept for `query`, if it still holds at `now`. */
  get(query: string, now: number): T | undefined {
    const entry = this.#entries.get(query);
    if (entry === undefined) return undefined;
    if (entry.from <= now && now < entry.until) return entry.value;
    this.#entries.delete(query);
    return undefined;
  }

  /** Keeps `value` as the answer to `query` from `now` until (not including) `until`. */
  set(query: string, now: number, until: number, value: T): void {
    if (!this.#entries.has(query) && this.#entries.size >= MAX_QUERIES) {
      // The oldest query first: a Map iterates in insertion order.
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(query, { from: now, until, value });
  }

  clear(): void {
    this.#entries.clear();
  }
}
