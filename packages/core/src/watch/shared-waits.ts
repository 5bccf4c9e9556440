// `waitForTask` for a client whose concurrent waits share their polls (see PollGroup).
import { AbortError } from '../errors.js';
import { realClock, type WatchClock } from './clock.js';
import { TaskDiffer } from './differ.js';
import { checkInterval, pollIntervals } from './poller.js';
import type { WaitRecord } from '../transport/telemetry.js';
import { traced, type TracedWaitSource } from './traced.js';
import { PollGroup, type BatchRead, type PollMember } from './shared-poll.js';
import { report, settleWait, type Round, type WaitOptions, type WaitSource, type WhenDisappeared } from './watch.js';

/** What a client gives its shared waits: a source whose listing is a batch read of the tasks waited on. */
export interface SharedWaitSource<Item> extends WaitSource<Item>, Pick<TracedWaitSource<Item>, 'telemetry'> {
  read: BatchRead<Item>;
}

/**
 * The waits of one client. Those that poll at the same `minIntervalMs`, `maxIntervalMs` and `stallAfterMs` on the
 * same clock share one poll; each keeps its own `signal`, `maxWaitMs`, callbacks, grace and outcome.
 */
export class SharedWaits<Item> {
  readonly #source: SharedWaitSource<Item>;
  readonly #whenDisappeared: WhenDisappeared;
  readonly #groups = new Map<WatchClock, Map<string, PollGroup<Item>>>();

  constructor(source: SharedWaitSource<Item>, whenDisappeared: WhenDisappeared) {
    this.#source = source;
    this.#whenDisappeared = whenDisappeared;
  }

  /** Like core's `waitForTask`, polling with the other waits of this client. */
  /**
   * With a tracer provider, each wait is a span with an event per round it saw; the requests are
   * the shared poll's, made for every wait at once, so they are not any one wait's children.
   */
  wait(taskId: string, options: WaitOptions = {}): Promise<Item> {
    return traced(this.#source, taskId, (record) =>
      settleWait(this.#source, taskId, { ...options, whenDisappeared: this.#whenDisappeared }, () => this.#rounds(taskId, options, record)),
    );
  }

  /** How many polls are running (one per set of intervals and clock in use); 0 when no wait is. */
  get polls(): number {
    let count = 0;
    for (const groups of this.#groups.values()) count += groups.size;
    return count;
  }

  #group(policy: PollGroup<Item>['policy']): PollGroup<Item> {
    const groups = this.#groups.get(policy.clock) ?? new Map<string, PollGroup<Item>>();
    this.#groups.set(policy.clock, groups);
    const key = `${policy.minIntervalMs}/${policy.maxIntervalMs}/${policy.stallAfterMs}`;
    let group = groups.get(key);
    if (!group) {
      const forget = (): void => {
        groups.delete(key);
        if (groups.size === 0) this.#groups.delete(policy.clock);
      };
      group = new PollGroup(this.#source, policy, forget);
      groups.set(key, group);
    }
    return group;
  }

  /** This wait's rounds: those of its group about its task, until its deadline or its signal. */
  async *#rounds(taskId: string, options: WaitOptions, record: WaitRecord | undefined): AsyncGenerator<Round<Item>, void, undefined> {
    const { request } = this.#source;
    const { minMs, maxMs, stallMs } = pollIntervals(options, request);
    const clock = options.clock ?? realClock;
    const caller = options.signal;
    const deadline = options.maxWaitMs === undefined ? Infinity : clock.now() + checkInterval('maxWaitMs', options.maxWaitMs, request);
    const aborted = (): AbortError => new AbortError(`${request.operation}: aborted by the caller`, request, { cause: caller?.reason });
    if (caller?.aborted) throw aborted();
    if (clock.now() >= deadline) return;

    const queue: Round<Item>[] = [];
    let failure: { error: unknown } | undefined;
    let timeUp = false;
    let wake: (() => void) | undefined;
    const poke = (): void => wake?.();
    const member: PollMember<Item> = {
      taskId,
      differ: new TaskDiffer(this.#source.toSnapshot, taskId),
      deliver: (round) => {
        queue.push(round);
        poke();
      },
      fail: (error) => {
        failure = { error };
        poke();
      },
      // The group's timer ends the wait at its deadline (one timer for all the waits).
      deadline,
      expire: () => {
        timeUp = true;
        poke();
      },
    };
    caller?.addEventListener('abort', poke);
    const group = this.#group({ minIntervalMs: minMs, maxIntervalMs: maxMs, stallAfterMs: stallMs, clock });
    group.join(member);
    try {
      for (;;) {
        if (caller?.aborted) throw aborted();
        const round = queue.shift();
        if (round) {
          if (round.type === 'listed') record?.poll(round.count, undefined);
          else if (round.type === 'transient-failure') record?.poll(undefined, round.error);
          report(round, options);
          yield round;
          continue;
        }
        if (failure) throw failure.error;
        if (timeUp) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      group.leave(member);
      caller?.removeEventListener('abort', poke);
    }
  }
}
