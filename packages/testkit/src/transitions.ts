interface SnapshotLike {
  id: string;
  state: string;
}

interface TaskEventLike<S> {
  type: 'appeared' | 'changed' | 'finished' | 'disappeared';
  snapshot: S;
  previous?: S | undefined;
}

/**
 * Checks a watch against the truth: `sample` records every distinct snapshot a server lists
 * (up to each task's terminal one), `record` every task event a watch reports, throwing at the
 * first event that breaks the rules (a task reported twice, a change without a difference, a
 * change after it finished, a `previous` that is not what was reported before). At the end,
 * `seen` must equal `truth`.
 */
export class TransitionRecorder<S extends SnapshotLike> {
  readonly truth = new Map<string, S[]>();
  readonly seen = new Map<string, S[]>();
  readonly finished = new Set<string>();
  readonly disappeared = new Set<string>();
  readonly #isTerminal: (state: S['state']) => boolean;

  constructor(isTerminal: (state: S['state']) => boolean) {
    this.#isTerminal = isTerminal;
  }

  sample(snapshots: Iterable<S>): void {
    for (const snapshot of snapshots) {
      const history = this.truth.get(snapshot.id) ?? [];
      const last = history.at(-1);
      if (!last || (!this.#isTerminal(last.state) && JSON.stringify(last) !== JSON.stringify(snapshot))) history.push(snapshot);
      this.truth.set(snapshot.id, history);
    }
  }

  record(event: TaskEventLike<S>): void {
    const { id } = event.snapshot;
    const history = this.seen.get(id) ?? [];
    const fail = (why: string): never => {
      throw new Error(`${event.type} ${id}: ${why} (seen: ${JSON.stringify(history.map((s) => s.state))})`);
    };
    if (event.type === 'disappeared') {
      if (JSON.stringify(event.snapshot) !== JSON.stringify(history.at(-1))) fail('not the last snapshot reported');
      this.disappeared.add(id);
      return;
    }
    if (this.finished.has(id)) fail('reported after it finished');
    if (event.type === 'appeared' && history.length > 0) fail('appeared twice');
    if (event.type !== 'appeared' && JSON.stringify(event.previous) !== JSON.stringify(history.at(-1))) fail('previous is not the last snapshot reported');
    if (event.type === 'changed' && JSON.stringify(event.previous) === JSON.stringify(event.snapshot)) fail('changed without a difference');
    if ((event.type === 'finished') !== this.#isTerminal(event.snapshot.state)) fail(`state ${event.snapshot.state}`);
    if (event.type === 'finished') this.finished.add(id);
    history.push(event.snapshot);
    this.seen.set(id, history);
  }

  /** True once every task sampled has been reported finished. */
  get allFinished(): boolean {
    return this.truth.size > 0 && this.finished.size === this.truth.size;
  }
}

/** The rejection of `promise`; an Error saying so when it resolves instead. */
export function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}
