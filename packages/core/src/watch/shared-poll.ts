// One poll for many waits: each round reads every task being waited on at once (the client's
// batch read), and hands each wait the rounds about its own task. client-go's shared informers in
// small: one watch of the server, many consumers.
import type { FailureClassifier } from '../transport/classify.js';
import type { RequestSummary } from '../errors.js';
import type { WatchClock } from './clock.js';
import type { TaskDiffer } from './differ.js';
import { poll, transientFailure } from './poller.js';
import type { TaskSnapshot } from './snapshot.js';
import { noticeOf, type Round } from './watch.js';

/**
 * Reads the tasks with these ids, in as few requests as the API allows. A task the API does not
 * know is simply absent from the answer; an error is the client's typed error.
 */
export type BatchRead<Item> = (ids: readonly string[], signal: AbortSignal) => Promise<readonly Item[]>;

/** What the poll needs of the client. */
export interface SharedPollSource<Item> {
  read: BatchRead<Item>;
  toSnapshot(item: Item): TaskSnapshot | undefined;
  request: RequestSummary;
  classifier?: FailureClassifier | undefined;
}

/** One wait taking part: its task, its own differ, and where its rounds go. */
export interface PollMember<Item> {
  readonly taskId: string;
  readonly differ: TaskDiffer<Item>;
  /** A round about this member's task. */
  deliver(round: Round<Item>): void;
  /** The shared poll met an error no poll can heal (e.g. credentials refused): the wait ends with it. */
  fail(error: unknown): void;
  /** Clock time after which no round is taken for this wait (`maxWaitMs`); Infinity for none. */
  readonly deadline: number;
  /** The deadline came: the wait times out. */
  expire(): void;
}

/**
 * The waits that poll at the same intervals on the same clock. The loop runs while it has members
 * and stops (no timer left) when the last one leaves. Backoff is shared: the next round comes
 * `minIntervalMs` after a round in which any member's task changed, and backs off while none did.
 * A wait that joins while the loop runs is read at once, with the others that joined in the same
 * tick, so that a task already finished resolves without waiting for the next round.
 */
export class PollGroup<Item> {
  readonly #source: SharedPollSource<Item>;
  readonly #policy: { minIntervalMs: number; maxIntervalMs: number; stallAfterMs: number; clock: WatchClock };
  readonly #onIdle: () => void;
  readonly #members = new Set<PollMember<Item>>();
  #joining: PollMember<Item>[] = [];
  /** The loop has begun reading: later waits are newcomers. */
  #polling = false;
  #readingNewcomers = false;
  readonly #stop = new AbortController();
  /** Interrupts the poll's sleep so that it wakes at a deadline that came up meanwhile. */
  #replan: AbortController | undefined;

  constructor(source: SharedPollSource<Item>, policy: PollGroup<Item>['policy'], onIdle: () => void) {
    this.#source = source;
    this.#policy = policy;
    this.#onIdle = onIdle;
  }

  get policy(): { minIntervalMs: number; maxIntervalMs: number; stallAfterMs: number; clock: WatchClock } {
    return this.#policy;
  }

  /** How many waits take part (those being read for the first time included). */
  get size(): number {
    return this.#members.size + this.#joining.length;
  }

  join(member: PollMember<Item>): void {
    // A deadline earlier than the wake-up planned: plan again.
    if (member.deadline !== Infinity) this.#replan?.abort();
    if (this.#polling) {
      this.#joining.push(member);
      if (!this.#readingNewcomers) void this.#readNewcomers();
      return;
    }
    // Before the first read, a wait simply joins it.
    this.#members.add(member);
    if (this.#members.size === 1) void this.#loop();
  }

  leave(member: PollMember<Item>): void {
    this.#members.delete(member);
    this.#joining = this.#joining.filter((m) => m !== member);
    if (this.size > 0 || this.#stop.signal.aborted) return;
    this.#stop.abort();
    this.#onIdle();
  }

  /** Reads `members`' tasks and hands each its events; true when any task changed. */
  async #readFor(members: readonly PollMember<Item>[], signal: AbortSignal): Promise<() => boolean> {
    const ids = [...new Set(members.map((m) => m.taskId))];
    const items = await this.#source.read(ids, signal);
    const at = this.#policy.clock.now();
    // The delivery runs when the round is taken, so members that left meanwhile are skipped.
    return () => this.#deliver(members, items, at);
  }

  #deliver(members: readonly PollMember<Item>[], items: readonly Item[], at: number): boolean {
    const byId = new Map<string, Item[]>();
    for (const item of items) {
      const id = this.#source.toSnapshot(item)?.id;
      if (id === undefined) continue;
      const same = byId.get(id);
      if (same) same.push(item);
      else byId.set(id, [item]);
    }
    let changed = false;
    for (const member of members) {
      if (!this.#members.has(member)) continue;
      const listed = byId.get(member.taskId) ?? [];
      const events = member.differ.diff(listed);
      changed ||= events.length > 0;
      member.deliver({ type: 'listed', events, count: listed.length, at });
    }
    return changed;
  }

  async #loop(): Promise<void> {
    // The waits started in the same tick join before the first read.
    await Promise.resolve();
    if (this.#stop.signal.aborted) return;
    this.#polling = true;
    const members = (): PollMember<Item>[] => [...this.#members];
    const clock: WatchClock = { now: () => this.#policy.clock.now(), sleep: (ms, signal) => this.#sleep(ms, signal) };
    const poller = poll((signal) => this.#readFor(members(), signal), {
      ...this.#policy,
      clock,
      signal: this.#stop.signal,
      request: this.#source.request,
      classifier: this.#source.classifier,
    });
    try {
      let step = await poller.next();
      while (!step.done) {
        const { value } = step;
        if (value.type === 'result') {
          step = await poller.next(value.value());
          continue;
        }
        // Every other round (a transient failure, a stall, its end) is each member's to report.
        const notice = noticeOf(value);
        for (const member of members()) member.deliver(notice);
        step = await poller.next();
      }
    } catch (error) {
      if (!this.#stop.signal.aborted) for (const member of this.#everyMember()) member.fail(error);
    } finally {
      await poller.return();
    }
  }

  /**
   * The poll's sleep between rounds, on the group's clock: it also wakes at each member's deadline
   * and ends that wait, so that every wait times out on time with one timer for the whole group.
   */
  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    const { clock } = this.#policy;
    const end = clock.now() + ms;
    for (;;) {
      this.#expireDue();
      if (signal.aborted) throw signal.reason;
      const now = clock.now();
      if (now >= end) return;
      let wake = end;
      for (const member of this.#everyMember()) wake = Math.min(wake, member.deadline);
      const replan = new AbortController();
      const onAbort = (): void => replan.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#replan = replan;
      try {
        await clock.sleep(wake - now, replan.signal);
      } catch (error) {
        if (signal.aborted) throw error;
      } finally {
        signal.removeEventListener('abort', onAbort);
        this.#replan = undefined;
      }
    }
  }

  #everyMember(): PollMember<Item>[] {
    return [...this.#members, ...this.#joining];
  }

  /** Ends the waits whose deadline came; they leave now, so that the last one stops the poll before it sleeps again. */
  #expireDue(): void {
    const now = this.#policy.clock.now();
    for (const member of this.#everyMember()) {
      if (member.deadline > now) continue;
      member.expire();
      this.leave(member);
    }
  }

  /** The waits that joined a running loop, read at once (those that join meanwhile, right after). */
  async #readNewcomers(): Promise<void> {
    this.#readingNewcomers = true;
    try {
      await Promise.resolve();
      while (this.#joining.length > 0 && !this.#stop.signal.aborted) {
        const batch = this.#joining;
        this.#joining = [];
        for (const member of batch) this.#members.add(member);
        try {
          (await this.#readFor(batch, this.#stop.signal))();
        } catch (error) {
          // A failure that may heal waits for the next round; any other ends these waits, as it would theirs alone.
          if (!this.#stop.signal.aborted && !transientFailure(error, this.#source.classifier))
            for (const member of batch) member.fail(error);
        }
      }
    } finally {
      this.#readingNewcomers = false;
    }
  }
}
