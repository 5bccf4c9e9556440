import { ManualClock } from '@vmtasks/testkit';
import { describe, expect, it } from 'vitest';
import { AbortError, ApiError, InvalidRequestError } from '../errors.js';
import { TEST_REQUEST } from '../test-support/scripted-list.js';
import { TaskCancelledError, TaskFailedError, TaskNotFoundError, TaskOutcomeUnknownError, WaitTimeoutError } from './errors.js';
import { SharedWaits } from './shared-waits.js';
import type { TaskSnapshot, TaskState } from './snapshot.js';

interface Row {
  id: string;
  state: TaskState;
  progress?: number;
}
const toSnapshot = (r: Row): TaskSnapshot => ({ api: 'velostrata', id: r.id, state: r.state, progress: r.progress });

/** Tasks whose rows change when the test says; every read recorded (clock time and ids). */
function appliance(clock: ManualClock, beforeRead?: (n: number) => void) {
  const rows = new Map<string, Row>();
  const reads: { at: number; ids: readonly string[] }[] = [];
  let fail: Error | undefined;
  const read = async (ids: readonly string[]): Promise<Row[]> => {
    reads.push({ at: clock.now(), ids });
    beforeRead?.(reads.length);
    if (fail) {
      const error = fail;
      fail = undefined;
      throw error;
    }
    return ids.flatMap((id) => {
      const row = rows.get(id);
      return row ? [{ ...row }] : [];
    });
  };
  const set = (id: string, state: TaskState, progress?: number) => rows.set(id, { id, state, progress });
  const waits = new SharedWaits<Row>({ read, toSnapshot, request: TEST_REQUEST }, 'outcome-unknown');
  return { rows, reads, set, waits, failNext: (error: Error) => (fail = error) };
}

const steady = { minIntervalMs: 5_000, maxIntervalMs: 5_000 };
const ids = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('SharedWaits', () => {
  it('reads every task waited on once per round, and types each outcome', async () => {
    const clock = new ManualClock();
    const { set, reads, rows, waits } = appliance(clock);
    for (const id of ids(100)) set(id, 'running', 0.1);
    const outcomes = Promise.allSettled([...ids(100), 'never-listed'].map((id) => waits.wait(id, { ...steady, clock })));
    while (reads.length < 1) await Promise.resolve();
    // By the next round the tasks have finished in three ways, or left the list unfinished.
    for (const [i, id] of ids(100).entries()) {
      if (i % 4 === 3) rows.delete(id);
      else set(id, (['succeeded', 'failed', 'cancelled'] as const)[i % 4]!);
    }
    const results = await clock.settle(outcomes);
    const kinds = results.map((r) => (r.status === 'fulfilled' ? r.value.state : (r.reason as Error).name));
    expect(kinds.slice(0, 4)).toEqual(['succeeded', 'TaskFailedError', 'TaskCancelledError', 'TaskOutcomeUnknownError']);
    expect(kinds.filter((k) => k === 'succeeded')).toHaveLength(25);
    expect(results[1]).toMatchObject({ reason: expect.any(TaskFailedError) });
    expect(results[2]).toMatchObject({ reason: expect.any(TaskCancelledError) });
    expect(results[3]).toMatchObject({ reason: expect.any(TaskOutcomeUnknownError) });
    // Not listed within the default grace of 5 s: the round at 5 s gives up on it.
    expect(results[100]).toMatchObject({ reason: expect.any(TaskNotFoundError) });
    // One read a round for all the waits, never one per wait.
    expect(reads.map((r) => r.ids.length)).toEqual([101, 101]);
    expect(waits.polls).toBe(0);
    expect(clock.sleeping).toBe(0);
  });

  it('resolves a wait whose task is already finished at once, even when it joins a poll that is asleep', async () => {
    const clock = new ManualClock();
    const { set, reads, waits } = appliance(clock);
    set('long', 'running');
    set('done', 'succeeded');
    const long = waits.wait('long', { ...steady, clock });
    await clock.advance(0);
    while (reads.length < 1) await Promise.resolve();
    const started = clock.now();
    // No clock time passes: the newcomer is read by itself, the asleep poll is not disturbed.
    await expect(waits.wait('done', { ...steady, clock })).resolves.toMatchObject({ state: 'succeeded' });
    expect(clock.now()).toBe(started);
    expect(reads.map((r) => r.ids)).toEqual([['long'], ['done']]);
    set('long', 'succeeded');
    await expect(clock.settle(long)).resolves.toMatchObject({ id: 'long' });
    expect(reads.at(-1)).toEqual({ at: started + 5_000, ids: ['long'] });
  });

  it('one aborted wait rejects at once with AbortError; the others go on, and its task is read no more', async () => {
    const clock = new ManualClock();
    const { set, reads, waits } = appliance(clock);
    for (const id of ids(3)) set(id, 'running');
    const controller = new AbortController();
    const progress: string[] = [];
    const waiting = ids(3).map((id, i) =>
      waits.wait(id, {
        ...steady,
        clock,
        signal: i === 1 ? controller.signal : undefined,
        onProgress: (s) => progress.push(`${s.id} ${s.state}`),
      }),
    );
    const aborted = waiting[1]!.catch((error: unknown) => error);
    while (progress.length < 3) await Promise.resolve();
    controller.abort();
    expect(await aborted).toBeInstanceOf(AbortError);
    await clock.advance(5_000);
    while (reads.length < 2) await Promise.resolve();
    expect(reads[1]!.ids).toEqual(['t-0', 't-2']);
    set('t-0', 'succeeded');
    set('t-2', 'failed');
    const rest = await clock.run(Promise.allSettled([waiting[0]!, waiting[2]!]));
    expect(rest.status === 'fulfilled' && rest.value.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(progress).toEqual(['t-0 running', 't-1 running', 't-2 running', 't-0 succeeded', 't-2 failed']);
    expect(waits.polls).toBe(0);
    expect(clock.sleeping).toBe(0);
  });

  it('times out each wait at its own maxWaitMs, without ending the poll for the others', async () => {
    const clock = new ManualClock();
    const { set, reads, waits } = appliance(clock);
    set('a', 'running');
    set('b', 'running');
    const started = clock.now();
    const short = waits.wait('a', { ...steady, clock, maxWaitMs: 12_000 }).catch((error: unknown) => error);
    const long = waits.wait('b', { ...steady, clock });
    const timeout = await clock.settle(short);
    expect(timeout).toBeInstanceOf(WaitTimeoutError);
    expect(timeout).toMatchObject({ maxWaitMs: 12_000, snapshot: { state: 'running' } });
    set('b', 'succeeded');
    await expect(clock.settle(long)).resolves.toMatchObject({ id: 'b' });
    expect(reads.slice(0, 3).map((r) => [r.at - started, r.ids.join()])).toEqual([
      [0, 'a,b'],
      [5_000, 'a,b'],
      [10_000, 'a,b'],
    ]);
    // After a's deadline (12 s) the poll goes on for b alone, every 5 s.
    expect(reads.slice(3).map((r) => [(r.at - started) % 5_000, r.ids.join()])).toEqual(reads.slice(3).map(() => [0, 'b']));
    expect(reads.length).toBeGreaterThan(3);
  });

  it('times a wait alone out exactly at maxWaitMs, and stops polling', async () => {
    const clock = new ManualClock();
    const { set, reads, waits } = appliance(clock);
    set('a', 'running');
    const started = clock.now();
    const timeout = await clock.settle(waits.wait('a', { ...steady, clock, maxWaitMs: 12_000 }).catch((error: unknown) => error));
    expect(timeout).toBeInstanceOf(WaitTimeoutError);
    expect(clock.now() - started).toBe(12_000);
    expect(reads.map((r) => r.at - started)).toEqual([0, 5_000, 10_000]);
    expect(waits.polls).toBe(0);
    expect(clock.sleeping).toBe(0);
  });

  it('reports a transient failure to every wait, and ends them all on a failure that cannot heal', async () => {
    const clock = new ManualClock();
    const { set, waits, failNext } = appliance(clock);
    set('a', 'running');
    set('b', 'running');
    const notices: string[] = [];
    const wait = (id: string) =>
      waits.wait(id, { ...steady, clock, onTransientFailure: (n) => notices.push(`${id} ${n.failures}`) }).catch((e: unknown) => e);
    const outcomes = Promise.all([wait('a'), wait('b')]);
    failNext(new ApiError('unavailable', { ...TEST_REQUEST, status: 503, body: undefined }));
    await clock.advance(0);
    while (notices.length < 2) await Promise.resolve();
    failNext(new ApiError('refused', { ...TEST_REQUEST, status: 401, body: undefined }));
    const [a, b] = await clock.settle(outcomes);
    expect(notices).toEqual(['a 1', 'b 1']);
    expect(a).toMatchObject({ status: 401 });
    expect(b).toMatchObject({ status: 401 });
    expect(waits.polls).toBe(0);
  });

  it('shares a poll between waits of the same intervals and clock only', async () => {
    const clock = new ManualClock();
    const { set, reads, waits } = appliance(clock);
    for (const id of ids(4)) set(id, 'running');
    const controller = new AbortController();
    const signal = controller.signal;
    const pending = [
      waits.wait('t-0', { ...steady, clock, signal }),
      waits.wait('t-1', { ...steady, clock, signal }),
      waits.wait('t-2', { minIntervalMs: 1_000, maxIntervalMs: 1_000, clock, signal }),
      waits.wait('t-3', { ...steady, clock: new ManualClock(), signal }),
    ].map((p) => p.catch((error: unknown) => error));
    expect(waits.polls).toBe(3);
    await clock.advance(0);
    while (reads.length < 3) await Promise.resolve();
    expect(reads.map((r) => r.ids.join()).sort()).toEqual(['t-0,t-1', 't-2', 't-3']);
    controller.abort();
    for (const outcome of await Promise.all(pending)) expect(outcome).toBeInstanceOf(AbortError);
    expect(waits.polls).toBe(0);
  });

  it('backs off while no task changes and polls at minIntervalMs again after any member’s task changed', async () => {
    const clock = new ManualClock();
    const { set, reads, waits } = appliance(clock, (n) => {
      if (n === 6) set('b', 'running', 0.5);
      if (n === 9) set('a', 'succeeded') && set('b', 'succeeded');
    });
    set('a', 'running', 0.1);
    set('b', 'running', 0.1);
    const backingOff = { minIntervalMs: 1_000, maxIntervalMs: 64_000, clock };
    await clock.settle(Promise.all([waits.wait('a', backingOff), waits.wait('b', backingOff)]));
    const gaps = reads.slice(1).map((r, i) => r.at - reads[i]!.at);
    expect(gaps).toHaveLength(8);
    // Backed off while nothing changed (the interval may double after each quiet round)…
    expect(Math.max(...gaps.slice(0, 5))).toBeGreaterThan(1_000);
    // …and the round right after b's change came at minIntervalMs.
    expect(gaps[5]).toBe(1_000);
  });

  it('refuses bad options and ids before joining any poll', async () => {
    const clock = new ManualClock();
    const { waits } = appliance(clock);
    await expect(waits.wait('', { clock })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(waits.wait('a', { clock, minIntervalMs: 5, maxIntervalMs: 1 })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(waits.wait('a', { clock, maxWaitMs: -1 })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(waits.polls).toBe(0);
  });
});
