import { inspect } from 'node:util';
import { exposedForms } from '@vmtasks/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError, ApiError, InvalidRequestError, TransportError } from '../errors.js';
import { Redactor } from '../redact.js';
import { hangUntilAborted, scriptedList, TEST_REQUEST, type Answer } from '../test-support/scripted-list.js';
import { TaskCancelledError, TaskFailedError, TaskNotFoundError, TaskOutcomeUnknownError, WaitTimeoutError } from './errors.js';
import type { WatchEvent } from './events.js';
import type { TaskSnapshot, TaskState } from './snapshot.js';
import { waitForTask, watchTasks, type TaskSource, type WatchOptions } from './watch.js';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-23T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Row {
  id: string;
  state: TaskState;
  progress?: number;
  error?: string;
}
const row = (id: string, state: TaskState, progress?: number, error?: string): Row => ({ id, state, progress, error });
const toSnapshot = (r: Row): TaskSnapshot => ({ api: 'velostrata', id: r.id, state: r.state, progress: r.progress, error: r.error });

const SECRET = 'subscription-5ec12e7';

function source(answers: readonly Answer<Row[]>[]) {
  const scripted = scriptedList(answers);
  const tasks: TaskSource<Row> = { list: scripted.list, toSnapshot, request: TEST_REQUEST, redactor: new Redactor([SECRET]) };
  return { tasks, calls: scripted.calls };
}

const fast: WatchOptions = { minIntervalMs: 1_000, maxIntervalMs: 8_000 };

/** Settles `promise`, running fake time as long as it is pending. */
async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  let result: PromiseSettledResult<T> | undefined;
  promise.then(
    (value) => (result = { status: 'fulfilled', value }),
    (reason: unknown) => (result = { status: 'rejected', reason }),
  );
  while (!result) {
    if (vi.getTimerCount() === 0) await Promise.resolve();
    else await vi.advanceTimersToNextTimerAsync();
  }
  return result;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  const result = await settle(promise);
  if (result.status === 'fulfilled') throw new Error('expected a rejection');
  return result.reason;
}

describe('waitForTask (engine)', () => {
  it('resolves with the item once it succeeded, reporting each new snapshot in order', async () => {
    const { tasks, calls } = source([
      [row('t', 'pending')],
      [row('t', 'running', 0.2)],
      [row('t', 'running', 0.2)],
      [row('t', 'running', 0.7)],
      [row('t', 'succeeded', 1)],
    ]);
    const progress: string[] = [];
    const result = await settle(
      waitForTask(tasks, 't', {
        ...fast,
        whenDisappeared: 'outcome-unknown',
        onProgress: (s) => progress.push(`${s.state} ${s.progress ?? '?'}`),
      }),
    );
    expect(result).toEqual({ status: 'fulfilled', value: row('t', 'succeeded', 1) });
    expect(progress).toEqual(['pending ?', 'running 0.2', 'running 0.7', 'succeeded 1']);
    expect(calls).toHaveLength(5);
  });

  it('rejects with TaskFailedError or TaskCancelledError carrying the last snapshot and item', async () => {
    const failed = source([[row('t', 'running', 0.3)], [row('t', 'failed', 0.3, 'disk full')]]);
    const error = await rejection(waitForTask(failed.tasks, 't', { ...fast, whenDisappeared: 'not-found' }));
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({
      name: 'TaskFailedError',
      message: 'Task t failed: disk full',
      taskId: 't',
      snapshot: { state: 'failed', error: 'disk full' },
      item: row('t', 'failed', 0.3, 'disk full'),
      operation: 'waitForTask',
    });

    const cancelled = source([[row('x', 'cancelled')]]);
    const cancel = await rejection(waitForTask(cancelled.tasks, 'x', { ...fast, whenDisappeared: 'not-found' }));
    expect(cancel).toBeInstanceOf(TaskCancelledError);
    expect(cancel).toMatchObject({ snapshot: { state: 'cancelled' } });
  });

  it('waits notFoundGraceMs (default 5 s) for a task that is not listed yet, then rejects with TaskNotFoundError', async () => {
    const { tasks, calls } = source([[row('other', 'running')]]);
    const started = Date.now();
    const error = await rejection(waitForTask(tasks, 't', { ...fast, whenDisappeared: 'outcome-unknown' }));
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect(error).toMatchObject({ taskId: 't', snapshot: undefined });
    expect((error as Error).message).toMatch(/^Task t is not listed \(waited \d+ ms for it to appear\)$/);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.at(-2)?.at).toBeLessThan(started + 5_000);
    expect(calls.at(-1)?.at).toBeGreaterThanOrEqual(started + 5_000);
  });

  it('gives up at the first listing with notFoundGraceMs: 0', async () => {
    const { tasks, calls } = source([[row('other', 'running')]]);
    const error = await rejection(waitForTask(tasks, 't', { ...fast, notFoundGraceMs: 0, whenDisappeared: 'outcome-unknown' }));
    expect(error).toMatchObject({ name: 'TaskNotFoundError', message: 'Task t is not listed' });
    expect(calls).toHaveLength(1);
  });

  it('follows a task that appears within the grace period', async () => {
    const { tasks } = source([[], [], [row('t', 'running', 0.5)], [row('t', 'succeeded')]]);
    const result = await settle(waitForTask(tasks, 't', { ...fast, whenDisappeared: 'outcome-unknown' }));
    expect(result).toEqual({ status: 'fulfilled', value: row('t', 'succeeded') });
  });

  it('refuses a notFoundGraceMs that is not a delay', async () => {
    const { tasks, calls } = source([[]]);
    for (const bad of [-1, Number.NaN, 2 ** 31]) {
      const error = await rejection(waitForTask(tasks, 't', { notFoundGraceMs: bad, whenDisappeared: 'not-found' }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'notFoundGraceMs' });
    }
    expect(calls).toHaveLength(0);
  });

  it('treats a task that leaves the list unfinished as not found or as an unknown outcome, never as success', async () => {
    const listings = [[row('t', 'running', 0.5)], [row('t', 'running', 0.9)], []];
    const unknown = await rejection(waitForTask(source(listings).tasks, 't', { ...fast, whenDisappeared: 'outcome-unknown' }));
    expect(unknown).toBeInstanceOf(TaskOutcomeUnknownError);
    expect(unknown).toMatchObject({ snapshot: { state: 'running', progress: 0.9 } });
    expect((unknown as Error).message).toBe('Task t left the list before it finished (last seen running 90%); its outcome is unknown');

    const gone = await rejection(waitForTask(source(listings).tasks, 't', { ...fast, whenDisappeared: 'not-found' }));
    expect(gone).toBeInstanceOf(TaskNotFoundError);
    expect(gone).toMatchObject({ snapshot: { progress: 0.9 } });
  });

  it('rejects with WaitTimeoutError after maxWaitMs, with the last snapshot', async () => {
    const { tasks } = source([[row('t', 'running', 0.1)]]);
    const started = Date.now();
    const error = await rejection(waitForTask(tasks, 't', { ...fast, maxWaitMs: 60_000, whenDisappeared: 'not-found' }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ maxWaitMs: 60_000, snapshot: { progress: 0.1 } });
    expect(Date.now() - started).toBe(60_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps waiting through transient failures, reporting each, and ends on one that cannot heal', async () => {
    const busy = new ApiError('HTTP 503', { ...TEST_REQUEST, status: 503, body: undefined });
    const reset = new TransportError('ECONNRESET', { ...TEST_REQUEST, attempts: 3, code: 'ECONNRESET' });
    const { tasks } = source([[row('t', 'running')], busy, busy, reset, [row('t', 'succeeded')]]);
    const notices: string[] = [];
    const result = await settle(
      waitForTask(tasks, 't', {
        ...fast,
        whenDisappeared: 'not-found',
        onTransientFailure: (n) => notices.push(`${n.error.name} ${n.failures}`),
      }),
    );
    expect(result.status).toBe('fulfilled');
    expect(notices).toEqual(['ApiError 1', 'ApiError 2', 'TransportError 3']);

    const denied = new ApiError('HTTP 401', { ...TEST_REQUEST, status: 401, body: undefined });
    expect(
      await rejection(waitForTask(source([[row('t', 'running')], denied]).tasks, 't', { ...fast, whenDisappeared: 'not-found' })),
    ).toBe(denied);
  });

  it('rejects with AbortError when the signal aborts mid-wait, and stops polling', async () => {
    const controller = new AbortController();
    const { tasks, calls } = source([[row('t', 'running')]]);
    const waiting = waitForTask(tasks, 't', { ...fast, signal: controller.signal, whenDisappeared: 'not-found' });
    await vi.advanceTimersByTimeAsync(2_500);
    controller.abort();
    expect(await rejection(waiting)).toBeInstanceOf(AbortError);
    const polls = calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(polls);
  });

  it('refuses a taskId that is not a non-empty string before polling', async () => {
    const { tasks, calls } = source([[row('t', 'running')]]);
    for (const bad of ['', 42 as unknown as string]) {
      const error = await rejection(waitForTask(tasks, bad, { ...fast, whenDisappeared: 'not-found' }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'taskId' });
    }
    expect(calls).toHaveLength(0);
  });

  it('keeps credentials out of the error, its snapshot and item', async () => {
    const { tasks } = source([[row('t', 'failed', 0, `login with ${SECRET} refused`)]]);
    const error = await rejection(waitForTask(tasks, 't', { ...fast, whenDisappeared: 'not-found' }));
    for (const shown of [...exposedForms(error), inspect(error), JSON.stringify((error as TaskFailedError).item)]) {
      expect(shown).not.toContain(SECRET);
    }
    expect((error as Error).message).toBe('Task t failed: login with [REDACTED] refused');
  });
});

/** Takes events from a watch until `stop` says so, running fake time while it waits. */
async function collect<Item>(events: AsyncIterable<WatchEvent<Item>>, stop: (event: WatchEvent<Item>, all: WatchEvent<Item>[]) => boolean) {
  const seen: WatchEvent<Item>[] = [];
  const iterator = events[Symbol.asyncIterator]();
  for (;;) {
    const next = await settle(iterator.next());
    if (next.status === 'rejected') return { seen, error: next.reason as unknown };
    if (next.value.done) return { seen, error: undefined };
    seen.push(next.value.value);
    if (stop(next.value.value, seen)) {
      await iterator.return?.();
      return { seen, error: undefined };
    }
  }
}

const brief = (e: WatchEvent<Row>): string => {
  switch (e.type) {
    case 'polled':
      return `polled ${e.count}`;
    case 'transient-failure':
      return `transient ${e.failures} ${e.retryInMs}`;
    case 'stalled':
      return `stalled since ${e.since} (${e.lastError.name})`;
    case 'recovered':
      return `recovered at ${e.at} (since ${e.since})`;
    default:
      return `${e.type} ${e.snapshot.id} ${e.snapshot.state}`;
  }
};

describe('watchTasks (engine)', () => {
  it('streams each transition once, a polled event after every listing, and failures as notices', async () => {
    const busy = new ApiError('HTTP 503', { ...TEST_REQUEST, status: 503, body: undefined });
    const { tasks, calls } = source([
      [row('a', 'running', 0.1), row('b', 'pending')],
      [row('a', 'running', 0.1), row('b', 'pending')],
      busy,
      [row('a', 'succeeded', 1), row('b', 'running'), row('c', 'failed')],
      [row('b', 'running')],
    ]);
    const { seen } = await collect(watchTasks(tasks, fast), (_e, all) => all.filter((x) => x.type === 'polled').length === 4);
    expect(seen.map(brief)).toEqual([
      'appeared a running',
      'appeared b pending',
      'polled 2',
      'polled 2',
      expect.stringMatching(/^transient 1 \d+$/),
      'finished a succeeded',
      'changed b running',
      'finished c failed',
      'polled 3',
      'disappeared a succeeded',
      'disappeared c failed',
      'polled 1',
    ]);
    expect(seen[2]).toEqual({ type: 'polled', count: 2, at: '2026-11-23T10:00:00.000Z' });
    expect(calls).toHaveLength(5);
  });

  it('stops polling when the loop breaks, even with a poll due', async () => {
    const { tasks, calls } = source([[row('a', 'running')]]);
    let count = 0;
    for await (const event of watchTasks(tasks, fast)) {
      if (event.type === 'appeared') count++;
      break;
    }
    await vi.advanceTimersByTimeAsync(120_000);
    expect(count).toBe(1);
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts the poll in flight when the signal aborts, and throws AbortError', async () => {
    const controller = new AbortController();
    const { tasks, calls } = source([[row('a', 'running')], (signal) => hangUntilAborted<Row[]>(signal)]);
    const run = collect(watchTasks(tasks, { ...fast, signal: controller.signal }), (e) => {
      if (e.type === 'polled') setTimeout(() => controller.abort(), 1_500);
      return false;
    });
    const { seen, error } = await run;
    expect(seen.map(brief)).toEqual(['appeared a running', 'polled 1']);
    expect(error).toBeInstanceOf(AbortError);
    expect(calls[1]?.signal.aborted).toBe(true);
  });

  it('throws WaitTimeoutError after maxWaitMs, and the error a listing cannot heal from', async () => {
    const { error } = await collect(watchTasks(source([[row('a', 'running')]]).tasks, { ...fast, maxWaitMs: 10_000 }), () => false);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ taskId: undefined, maxWaitMs: 10_000, operation: 'waitForTask' });

    const denied = new ApiError('HTTP 403', { ...TEST_REQUEST, status: 403, body: undefined });
    const ended = await collect(watchTasks(source([[row('a', 'running')], denied]).tasks, fast), () => false);
    expect(ended.seen.map(brief)).toEqual(['appeared a running', 'polled 1']);
    expect(ended.error).toBe(denied);
  });

  it('calls onProgress for every snapshot it reports, and onTransientFailure for every notice', async () => {
    const busy = new ApiError('HTTP 429', { ...TEST_REQUEST, status: 429, body: undefined });
    const progress: string[] = [];
    const notices: number[] = [];
    const { tasks } = source([[row('a', 'running', 0.5)], busy, [row('a', 'succeeded', 1)]]);
    await collect(
      watchTasks(tasks, {
        ...fast,
        onProgress: (s) => progress.push(`${s.id} ${s.state}`),
        onTransientFailure: (n) => notices.push(n.failures),
      }),
      (e) => e.type === 'finished',
    );
    expect(progress).toEqual(['a running', 'a succeeded']);
    expect(notices).toEqual([1]);
  });
});

describe('watchTasks: checkpoint and resumeFrom', () => {
  const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  it('announces after a restart only what changed, finished, left or came meanwhile, once each', async () => {
    const before = source([
      [
        row('a', 'running', 0.5),
        row('b', 'running', 0.1),
        row('c', 'running', 0.2),
        row('d', 'pending'),
        row('f', 'failed', 1, 'disk full'),
      ],
    ]);
    const first = watchTasks(before.tasks, fast);
    const { seen } = await collect(first, (e) => e.type === 'polled');
    expect(seen.map(brief)).toEqual([
      'appeared a running',
      'appeared b running',
      'appeared c running',
      'appeared d pending',
      'finished f failed',
      'polled 5',
    ]);
    const saved = roundTrip(first.checkpoint());

    const after = source([
      [
        row('a', 'running', 0.5),
        row('b', 'running', 0.6),
        row('c', 'succeeded', 1),
        row('e', 'pending'),
        // A finished task stays finished: a later difference is no transition.
        row('f', 'failed', 1, 'disk full (details)'),
      ],
      [row('a', 'running', 0.5), row('e', 'pending')],
    ]);
    const resumed = watchTasks(after.tasks, { ...fast, resumeFrom: saved });
    const next = await collect(resumed, (_e, all) => all.filter((x) => x.type === 'polled').length === 2);
    expect(next.seen.map(brief)).toEqual([
      'changed b running',
      'finished c succeeded',
      'appeared e pending',
      'disappeared d pending',
      'polled 5',
      'disappeared b running',
      'disappeared c succeeded',
      'disappeared f failed',
      'polled 2',
    ]);
    // What the checkpoint kept stands in for what was not seen: the state, no item.
    expect(next.seen[0]).toMatchObject({ previous: { api: 'velostrata', id: 'b', state: 'running' } });
    expect(next.seen[3]).toEqual({ type: 'disappeared', snapshot: { api: 'velostrata', id: 'd', state: 'pending' }, item: undefined });
    // The second listing compares with what was listed, not with the checkpoint: f keeps its item.
    expect(next.seen[7]).toMatchObject({ item: row('f', 'failed', 1, 'disk full (details)') });
    expect(Object.keys(resumed.checkpoint().tasks)).toEqual(['a', 'e']);
  });

  it('checkpoints exactly the events handed over, even in the middle of a poll', async () => {
    const { tasks } = source([[row('a', 'running'), row('b', 'running')]]);
    const first = watchTasks(tasks, fast);
    expect(first.checkpoint()).toEqual({ version: 1, tasks: {} });
    await collect(first, (e) => e.type === 'appeared');
    const saved = roundTrip(first.checkpoint());
    expect(Object.keys(saved.tasks)).toEqual(['a']);
    const { seen } = await collect(watchTasks(tasks, { ...fast, resumeFrom: saved }), (e) => e.type === 'polled');
    expect(seen.map(brief)).toEqual(['appeared b running', 'polled 2']);
  });

  it('keeps ids, states and fingerprints only: no server text, no credentials', async () => {
    const { tasks } = source([[row('a', 'failed', 1, `quota exceeded for ${SECRET}`), row('b', 'running', 0.3)]]);
    const watch = watchTasks(tasks, fast);
    await collect(watch, (e) => e.type === 'polled');
    const saved = watch.checkpoint();
    expect(saved).toEqual({
      version: 1,
      api: 'velostrata',
      tasks: {
        a: { state: 'failed', fingerprint: expect.stringMatching(/^[\w-]{16}$/) },
        b: { state: 'running', fingerprint: expect.any(String) },
      },
    });
    expect(JSON.stringify(saved)).not.toMatch(/quota|5ec12e7/);
  });

  it('refuses a resumeFrom that is not a checkpoint with InvalidRequestError naming it, before polling', () => {
    const { tasks, calls } = source([[row('a', 'running')]]);
    const fingerprint = 'AAAAAAAAAAAAAAAA';
    for (const bad of [
      null,
      'checkpoint',
      [],
      { tasks: {} },
      { version: 2, tasks: {} },
      { version: 1 },
      { version: 1, tasks: [] },
      { version: 1, tasks: { a: { state: 'running', fingerprint } } },
      { version: 1, api: 'velostrata', tasks: { a: { state: 'done', fingerprint } } },
      { version: 1, api: 'velostrata', tasks: { a: { state: 'running', fingerprint: '\u001b[2J' } } },
      { version: 1, api: 'velostrata', tasks: { '': { state: 'running', fingerprint } } },
      { version: 1, api: '', tasks: {} },
    ]) {
      let error: unknown;
      try {
        watchTasks(tasks, { resumeFrom: bad as never });
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(bad)).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'resumeFrom', message: expect.stringMatching(/^waitForTask: resumeFrom /) });
      expect((error as Error).message).not.toContain('\u001b');
    }
    expect(calls).toHaveLength(0);
  });
});

describe('stalls', () => {
  const busy = (): ApiError => new ApiError('HTTP 503', { ...TEST_REQUEST, status: 503, body: undefined });
  const failing = (n: number): Answer<Row[]>[] => Array.from({ length: n }, busy);

  it('a watch says stalled once when no poll succeeded for stallAfterMs, and recovered once when one does', async () => {
    // Each retry waits at least minIntervalMs (1 s): eight failures outlast the 5 s.
    const { tasks } = source([[row('a', 'running')], ...failing(8), [row('a', 'succeeded')], ...failing(8), [row('a', 'succeeded')]]);
    const { seen } = await collect(
      watchTasks(tasks, { ...fast, stallAfterMs: 5_000 }),
      (_e, all) => all.filter((x) => x.type === 'polled').length === 3,
    );
    const kinds = seen.map((e) => e.type).filter((type) => type !== 'transient-failure');
    expect(kinds).toEqual(['appeared', 'polled', 'stalled', 'recovered', 'finished', 'polled', 'stalled', 'recovered', 'polled']);
    const [stalled, recovered] = seen.filter((e) => e.type === 'stalled' || e.type === 'recovered');
    expect(stalled).toMatchObject({ type: 'stalled', since: '2026-11-23T10:00:00.000Z', lastError: { status: 503 } });
    expect(recovered).toMatchObject({ type: 'recovered', since: '2026-11-23T10:00:00.000Z' });
    // Reported when its time came, between two retries, not at the next failure.
    const at = seen.findIndex((e) => e.type === 'stalled');
    expect(seen.slice(0, at).filter((e) => e.type === 'transient-failure').length).toBeGreaterThan(0);
    // The second stall counts from the recovery, the last success.
    expect(seen.filter((e) => e.type === 'stalled')[1]).toMatchObject({ since: (recovered as { at: string }).at });
  });

  it('is not reported while polls keep succeeding, nor for failures shorter than stallAfterMs', async () => {
    const { tasks } = source([[row('a', 'running')], ...failing(2), [row('a', 'running')]]);
    const { seen } = await collect(
      watchTasks(tasks, { ...fast, stallAfterMs: 60_000 }),
      (_e, all) => all.filter((x) => x.type === 'polled').length === 5,
    );
    expect(seen.some((e) => e.type === 'stalled' || e.type === 'recovered')).toBe(false);
  });

  it('a wait reports the same through onStalled and onRecovered, in order, once each', async () => {
    const { tasks } = source([[row('a', 'running')], ...failing(8), [row('a', 'succeeded')]]);
    const heard: string[] = [];
    const result = await settle(
      waitForTask(tasks, 'a', {
        ...fast,
        stallAfterMs: 5_000,
        whenDisappeared: 'not-found',
        onTransientFailure: () => heard.push('failure'),
        onStalled: (notice) => heard.push(`stalled since ${notice.since}`),
        onRecovered: (notice) => heard.push(`recovered since ${notice.since}`),
      }),
    );
    expect(result.status).toBe('fulfilled');
    const notices = heard.filter((h) => h !== 'failure');
    expect(notices).toEqual(['stalled since 2026-11-23T10:00:00.000Z', 'recovered since 2026-11-23T10:00:00.000Z']);
    expect(heard.at(-1)).toBe(notices[1]);
    expect(heard.indexOf(notices[0]!)).toBeGreaterThan(0);
  });

  it('refuses a stallAfterMs that is not a delay, as the call’s InvalidRequestError', async () => {
    const { tasks } = source([[row('a', 'running')]]);
    for (const stallAfterMs of [0, -5, Number.NaN, 2 ** 31]) {
      const { error } = await collect(watchTasks(tasks, { ...fast, stallAfterMs }), () => true);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'stallAfterMs' });
    }
  });
});
