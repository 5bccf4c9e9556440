// Time that holds: Retry-After is honoured within the policy, each attempt and the whole call are bounded.
import { describe, expect, it } from 'vitest';
import { sendJson } from '../http-server.js';
import { settle, type Harness } from './target.js';

export function describeTime<Client extends { close(): Promise<void> }>(h: Harness<Client>): void {
  const { target, serve, expectNothingExposed } = h;
  const { errors } = target;

  describe('time that holds', () => {
    it('ends with RetryAfterTooLongError when the server asks for more than the policy allows', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 503, target.errorBody('busy'), { 'retry-after': '2200000' }));
      const error = await settle(target.call(h.client(appliance.url, { retry: { maxDelayMs: 2 ** 31 - 1, maxElapsedMs: 2 ** 31 - 1 } })));
      expect(error).toBeInstanceOf(errors.RetryAfterTooLongError);
      expect(error).toMatchObject({ status: 503, retryAfterMs: 2_200_000_000, attempts: 1 });
      expect((error as { limitMs: number }).limitMs).toBeGreaterThan(2 ** 31 - 60_000);
      expect((error as Error).message).toMatch(/2200000 s/);
      expectNothingExposed(error);
      expect(appliance.requests).toHaveLength(1);
    });

    it('still backs off on Retry-After: 0', async () => {
      const appliance = await serve((req, res) =>
        sendJson(res, 503, { ...target.errorBody('busy'), echo: req.headers[target.credentialHeader] }, { 'retry-after': '0' }),
      );
      const error = await settle(target.call(h.client(appliance.url, { retry: { retries: 4, baseDelayMs: 80 } })));
      expect(error).toBeInstanceOf(target.apiError);
      expect(error).toMatchObject({ status: 503, ...target.errorFields });
      expectNothingExposed(error);
      expect(appliance.requests).toHaveLength(5);
      const gaps = appliance.requests.slice(1).map((r, i) => r.at - appliance.requests[i]!.at);
      // Equal jitter: retry n waits at least ½·80·2ⁿ⁻¹ ms. Load only makes gaps longer.
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(40 * 2 ** i - 2));
    });

    it('cuts an attempt at timeoutMs with TimeoutError', async () => {
      const silent = await serve(() => undefined);
      const started = performance.now();
      const error = await settle(target.call(h.client(silent.url, { timeoutMs: 300, retry: false })));
      const took = performance.now() - started;
      expect(error).toBeInstanceOf(errors.TimeoutError);
      expect(error).toMatchObject({ limit: 'timeoutMs', timeoutMs: 300, attempts: 1 });
      expect(took).toBeGreaterThanOrEqual(295);
      expect(took).toBeLessThan(10_000);
      expectNothingExposed(error);
      expect(silent.requests).toHaveLength(1);
    });

    it('bounds the whole call by maxElapsedMs, cutting the attempt that runs into it', async () => {
      const silent = await serve(() => undefined);
      const started = performance.now();
      const error = await settle(target.call(h.client(silent.url, { timeoutMs: 60_000, retry: { maxElapsedMs: 400 } })));
      const took = performance.now() - started;
      expect(error).toBeInstanceOf(errors.TimeoutError);
      expect(error).toMatchObject({ limit: 'maxElapsedMs', timeoutMs: 400, attempts: 1 });
      expect(took).toBeGreaterThanOrEqual(395);
      expect(took).toBeLessThan(10_000);
      expectNothingExposed(error);
    });
  });
}
