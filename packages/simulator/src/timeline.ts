// A task's life as a list of phases: from `at` (simulated ms) on, it is listed as `view`, or not at
// all (`view` null). Time only moves forward, so each timeline keeps a cursor and the current phase
// costs O(1); each phase's JSON is rendered once and reused, so a list of 1,000 tasks is a join.

export interface Phase<T> {
  at: number;
  view: T | null;
  /** From `at` on the appliance does not know the task at all (no history either): a removed task. */
  forgotten?: boolean;
}

export class Timeline<T> {
  #phases: Phase<T>[];
  readonly #json: (string | undefined)[];
  #cursor = -1;

  constructor(phases: Phase<T>[]) {
    for (let i = 1; i < phases.length; i++) {
      if (phases[i]!.at < phases[i - 1]!.at) throw new RangeError('a timeline’s phases must be in time order');
    }
    this.#phases = phases;
    this.#json = phases.map(() => undefined);
  }

  #index(now: number): number {
    if (this.#cursor >= 0 && this.#phases[this.#cursor]!.at > now) this.#cursor = -1; // never happens with a forward clock
    while (this.#cursor + 1 < this.#phases.length && this.#phases[this.#cursor + 1]!.at <= now) this.#cursor++;
    return this.#cursor;
  }

  /** What is listed at `now`, or null. */
  view(now: number): T | null {
    const i = this.#index(now);
    return i < 0 ? null : this.#phases[i]!.view;
  }

  /** The JSON of `view(now)`, rendered once per phase; null when not listed. */
  json(now: number): string | null {
    const i = this.#index(now);
    if (i < 0 || this.#phases[i]!.view === null) return null;
    let text = this.#json[i];
    if (text === undefined) {
      text = JSON.stringify(this.#phases[i]!.view);
      this.#json[i] = text;
    }
    return text;
  }

  /** The latest view at or before `now`, listed or no longer: what the task's history shows; null before it began. */
  latest(now: number): T | null {
    const current = this.#index(now);
    if (current >= 0 && this.#phases[current]!.forgotten) return null;
    for (let i = current; i >= 0; i--) {
      const { view } = this.#phases[i]!;
      if (view !== null) return view;
    }
    return null;
  }

  /** Replaces every phase after `now` with `phases` (the task changed course: it is being cancelled). */
  replaceAfter(now: number, phases: Phase<T>[]): void {
    const keep = this.#index(now) + 1;
    if (phases.some((phase) => phase.at < now)) throw new RangeError('a timeline cannot change its past');
    this.#phases = [...this.#phases.slice(0, keep), ...phases];
    this.#json.length = keep;
    for (let i = keep; i < this.#phases.length; i++) this.#json.push(undefined);
  }
}
