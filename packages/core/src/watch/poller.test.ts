import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  ApiError,
  ClientClosedError,
  InvalidRequestError,
  MalformedResponseError,
  RetryAfterTooLongError,
  TimeoutError,
  TransportError,
} from '../errors.js';
import { hangUntilAborted, scriptedList, TEST_REQUEST, type Answer } from '../test-support/scripted-list.js';
import { FailureClassifier } from '../transport/classify.js';
import { backoffInterval, poll, transientFailure, type PollPolicy, type PollStep } from './poller.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const unavailable = (): ApiError => new ApiError('HTTP 503', { ...TEST_REQUEST, status: 503, body: undefined });
const unauthenticated = (): ApiError => new ApiError('HTTP 401', { ...TEST_REQUEST, status: 401, body: undefined });
const reset = (): TransportError => new TransportError('ECONNRESET', { ...TEST_REQUEST, attempts: 3, code: 'ECONNRESET' });
const timeout = (): TimeoutError => new TimeoutError('slow', { ...TEST_REQUEST, attempts: 3, timeoutMs: 5, limit: 'timeoutMs' });
const tooLong = (retryAfterMs: number): RetryAfterTooLongError =>
  new RetryAfterTooLongError('asked for too long', { ...TEST_REQUEST, status: 429, retryAfterMs, limitMs: 10_000, attempts: 1 });

function start<T>(answers: readonly Answer<T>[], policy: PollPolicy & { random?: () => number; classifier?: FailureClassifier } = {}) {
  const { list, calls } = scriptedList(answers);
  const poller = poll(list, { minIntervalMs: 100, maxIntervalMs: 1_000, random: () => 1, ...policy, request: TEST_REQUEST });
  /** Asks for the next step, letting fake time run until it comes. */
  const next = async (changed?: boolean): Promise<IteratorResult<PollStep<T>, void>> => {
    const pending = poller.next(changed);
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled && vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
    return pending;
  };
  return { poller, calls, next };
}

describe('poll: intervals', () => {
  it('polls at once, then backs off ×2 up to the maximum while nothing changes, and back to the minimum after a change', async () => {
    const { calls, next } = start([1]);
    await next();
    for (let i = 0; i < 5; i++) await next(false);
    await next(true);
    await next(false);
    const times = calls.map((c) => c.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // random() = 1 takes the top of each jitter range: 200, 400, 800, then 1000 (capped); 100 after
    // the sixth listing changed something, and 200 again when the seventh did not.
    expect(times[0]).toBe(0);
    expect(gaps).toEqual([200, 400, 800, 1_000, 1_000, 100, 200]);
  });

  it('draws each wait from [min, ceiling] (jitter)', () => {
    expect(backoffInterval(0, 100, 1_000, () => 0.5)).toBe(100);
    expect(backoffInterval(3, 100, 1_000, () => 0)).toBe(100);
    expect(backoffInterval(3, 100, 1_000, () => 0.5)).toBe(450);
    expect(backoffInterval(30, 100, 1_000, () => 1)).toBe(1_000);
  });

  it('refuses intervals that are not positive finite timer values, as the call’s InvalidRequestError', async () => {
    const { list } = scriptedList([1]);
    for (const bad of [
      { minIntervalMs: 0 },
      { maxIntervalMs: -1 },
      { minIntervalMs: Number.NaN },
      { maxWaitMs: 2 ** 31 },
      { minIntervalMs: 500, maxIntervalMs: 100 },
    ]) {
      const error = await poll(list, { ...bad, request: TEST_REQUEST })
        .next()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).parameter).toBe(Object.keys(bad).at(-1));
    }
  });
});

describe('poll: failures', () => {
  it('yields transient failures with a growing count and backoff, and resets after a success', async () => {
    const { calls, next } = start([reset(), unavailable(), timeout(), 7, unavailable()]);
    const steps: PollStep<number>[] = [];
    for (let i = 0; i < 5; i++) steps.push((await next(false)).value as PollStep<number>);
    expect(
      steps.map((s) =>
        s.type === 'result' ? s.value : s.type === 'transient-failure' ? `${s.error.name} #${s.failures} in ${s.retryInMs}` : s.type,
      ),
    ).toEqual(['TransportError #1 in 200', 'ApiError #2 in 400', 'TimeoutError #3 in 800', 7, 'ApiError #1 in 200']);
    expect(calls.map((c) => c.at)).toEqual([0, 200, 600, 1_400, 1_600]);
  });

  it('waits as long as a Retry-After the transport could not honour asks, when longer than its own backoff', async () => {
    const { calls, next } = start([1, tooLong(45_000), tooLong(50), 2]);
    await next();
    expect((await next(false)).value).toMatchObject({ type: 'transient-failure', failures: 1, retryInMs: 45_000 });
    // 3 × maxIntervalMs without a success, in the middle of that long wait: a stall, once.
    expect((await next()).value).toMatchObject({ type: 'stalled', since: 0 });
    expect(Date.now()).toBe(3_000);
    expect((await next()).value).toMatchObject({ type: 'transient-failure', failures: 2, retryInMs: 400 });
    expect((await next()).value).toEqual({ type: 'recovered', since: 0, at: 45_600 });
    expect((await next()).value).toMatchObject({ type: 'result', value: 2 });
    expect(calls.map((c) => c.at)).toEqual([0, 200, 45_200, 45_600]);
  });

  it('ends with the error itself when it cannot heal: 401, malformed answers, certificates, a closed client, anything unknown', async () => {
    const certificate = new TransportError('self-signed', { ...TEST_REQUEST, attempts: 1, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const closed = new ClientClosedError('closed', TEST_REQUEST);
    for (const error of [
      unauthenticated(),
      new MalformedResponseError('bad', { ...TEST_REQUEST, status: 200, rawBody: '<' }),
      certificate,
      closed,
      new TypeError('bug'),
    ]) {
      const { next, calls } = start([1, error]);
      await next();
      await expect(next(false)).rejects.toBe(error);
      expect(calls).toHaveLength(2);
    }
  });
});

describe('poll: the client classifier', () => {
  it("treats as transient the statuses the client's retry.statuses name, not the defaults", async () => {
    const serverError = new ApiError('HTTP 500', { ...TEST_REQUEST, status: 500, body: undefined });
    const classifier = new FailureClassifier([500]);
    const healing = start([serverError, 3], { classifier });
    expect((await healing.next()).value).toMatchObject({ type: 'transient-failure', failures: 1 });
    expect((await healing.next()).value).toMatchObject({ type: 'result', value: 3 });

    const strict = start([unavailable(), 3], { classifier });
    await expect(strict.next()).rejects.toBeInstanceOf(ApiError);
  });
});

describe('poll: ending', () => {
  it('stops at maxWaitMs: no poll starts after it, and a poll in flight is abandoned', async () => {
    const { calls, next } = start([1], { maxWaitMs: 1_000 });
    let step = await next();
    while (!step.done) step = await next(false);
    // 0, 200, 600; the next would be at 1400.
    expect(calls.map((c) => c.at)).toEqual([0, 200, 600]);
    expect(Date.now()).toBe(1_000);

    const hanging = start<number>([1, (signal) => hangUntilAborted(signal)], { maxWaitMs: 1_000 });
    await hanging.next();
    expect(await hanging.next(false)).toEqual({ done: true, value: undefined });
    expect(Date.now()).toBe(2_000);
    expect(hanging.calls[1]?.signal.aborted).toBe(true);
  });

  it('rejects with AbortError at once when the caller aborts during a wait or a poll', async () => {
    const controller = new AbortController();
    const { next, poller } = start([1], { signal: controller.signal });
    await next();
    const waiting = poller.next(false);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(new Error('user pressed Ctrl-C'));
    await expect(waiting).rejects.toThrow(AbortError);
    await expect(waiting).rejects.toMatchObject({ operation: 'waitForTask', cause: new Error('user pressed Ctrl-C') });
    expect(Date.now()).toBe(50);

    const inFlight = new AbortController();
    const hanging = start<number>([(signal) => hangUntilAborted(signal)], { signal: inFlight.signal });
    const polling = hanging.poller.next();
    inFlight.abort();
    await expect(polling).rejects.toThrow(AbortError);
    expect(hanging.calls[0]?.signal.aborted).toBe(true);

    const already = start([1], { signal: AbortSignal.abort() });
    await expect(already.poller.next()).rejects.toThrow(AbortError);
    expect(already.calls).toHaveLength(0);
  });

  it('polls no more once the consumer returns, and leaves no timer behind', async () => {
    const { calls, next, poller } = start([1]);
    await next();
    await poller.return();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('transientFailure', () => {
  it('classifies healable network errors, timeouts and 429/502/503/504 as transient, other statuses not', () => {
    expect(transientFailure(reset())).toEqual({});
    expect(transientFailure(timeout())).toEqual({});
    expect(transientFailure(tooLong(30_000))).toEqual({ retryAfterMs: 30_000 });
    expect(transientFailure(new TransportError('x', { ...TEST_REQUEST, attempts: 1, code: 'ENOTFOUND' }))).toBeUndefined();
    for (const status of [429, 502, 503, 504]) {
      expect(transientFailure(new ApiError('x', { ...TEST_REQUEST, status, body: undefined }))).toEqual({});
    }
    for (const status of [400, 401, 403, 404, 500]) {
      expect(transientFailure(new ApiError('x', { ...TEST_REQUEST, status, body: undefined }))).toBeUndefined();
    }
    expect(transientFailure(new Error('bug'))).toBeUndefined();
  });
});
