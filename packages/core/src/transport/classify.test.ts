import { describe, expect, it } from 'vitest';
import { ApiError, RetryAfterTooLongError, TimeoutError, TransportError } from '../errors.js';
import { AttemptFailure } from './attempt.js';
import { TEST_REQUEST } from '../test-support/scripted-list.js';
import { DEFAULT_CLASSIFIER, FailureClassifier } from './classify.js';

const coded = (code: string): Error => Object.assign(new Error(code), { code });
const apiError = (status: number): ApiError => new ApiError(`HTTP ${status}`, { ...TEST_REQUEST, status, body: undefined });

describe('FailureClassifier', () => {
  it('retries a failed attempt that can heal: a timeout not cut by the call bound, a reset or refusal; not a certificate error', () => {
    expect(DEFAULT_CLASSIFIER.attempt(new AttemptFailure('timeout'), false)).toEqual({ type: 'retry' });
    expect(DEFAULT_CLASSIFIER.attempt(new AttemptFailure('timeout'), true)).toEqual({ type: 'fatal' });
    expect(DEFAULT_CLASSIFIER.attempt(new AttemptFailure('network', 0, { cause: coded('ECONNRESET') }), false)).toEqual({ type: 'retry' });
    const certificate = new AttemptFailure('network', 0, { cause: coded('DEPTH_ZERO_SELF_SIGNED_CERT') });
    expect(DEFAULT_CLASSIFIER.attempt(certificate, false)).toEqual({ type: 'fatal' });
    expect(DEFAULT_CLASSIFIER.attempt(new AttemptFailure('aborted'), false)).toEqual({ type: 'fatal' });
  });

  it('retries the configured statuses only, after what Retry-After asks when it asks', () => {
    const classifier = new FailureClassifier([500]);
    expect(classifier.response(500, undefined)).toEqual({ type: 'retry' });
    expect(classifier.response(500, '3')).toEqual({ type: 'retry-after', ms: 3_000 });
    expect(classifier.response(503, '3')).toEqual({ type: 'fatal' });
    expect(DEFAULT_CLASSIFIER.response(503, undefined)).toEqual({ type: 'retry' });
    expect(DEFAULT_CLASSIFIER.response(500, undefined)).toEqual({ type: 'fatal' });
  });

  it("judges a call's typed error by the same statuses, for the poller", () => {
    const classifier = new FailureClassifier([500]);
    expect(classifier.error(apiError(500))).toEqual({ type: 'retry' });
    expect(classifier.error(apiError(503))).toEqual({ type: 'fatal' });
    expect(classifier.error(new TimeoutError('slow', { ...TEST_REQUEST, attempts: 1, timeoutMs: 5, limit: 'timeoutMs' }))).toEqual({
      type: 'retry',
    });
    expect(classifier.error(new TransportError('x', { ...TEST_REQUEST, attempts: 1, code: 'ENOTFOUND' }))).toEqual({ type: 'fatal' });
    const tooLong = new RetryAfterTooLongError('x', { ...TEST_REQUEST, status: 429, retryAfterMs: 30_000, limitMs: 10_000, attempts: 1 });
    expect(classifier.error(tooLong)).toEqual({ type: 'retry-after', ms: 30_000 });
  });
});
