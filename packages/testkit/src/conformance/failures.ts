// Every failure is one typed error, always asynchronous; only what can heal is retried; server
// text never reaches a message raw.
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate, sendJson } from '../http-server.js';
import { CALL_TOKEN, settle, type Harness } from './target.js';

export function describeFailures<Client extends { close(): Promise<void> }>(h: Harness<Client>): void {
  const { target, serve, expectNothingExposed } = h;
  const { errors, okBody: ok } = target;

  describe('every failure is one typed error, always asynchronous', () => {
    it('rejects a raw call whose header no request can carry as a typed error that quotes nothing', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 200, ok));
      const client = h.client(appliance.url);
      for (const value of [`Bearer ${CALL_TOKEN}\nx`, `Bearer ${CALL_TOKEN}\0`, `Bearer ${CALL_TOKEN}€`]) {
        const error = await settle(target.rawGet(client, { headers: { 'x-call-token': value } }));
        expect(error).toBeInstanceOf(errors.InvalidRequestError);
        expect(error).toMatchObject({ parameter: 'request', operation: target.rawOperation });
        expectNothingExposed(error);
      }
      expect(appliance.requests).toHaveLength(0);
    });

    it('rejects a bad per-call header before sending, without retrying', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 200, ok));
      const error = await settle(target.call(h.client(appliance.url), { headers: { 'x-trace': `${CALL_TOKEN}\r\nx: y` } }));
      expect(error).toBeInstanceOf(errors.InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'headers.x-trace', operation: target.callOperation });
      expectNothingExposed(error);
      expect(appliance.requests).toHaveLength(0);
    });

    it('rejects a signal that is not an AbortSignal before sending, never crashing later', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 200, ok));
      const client = h.client(appliance.url, { timeoutMs: 50 });
      for (const signal of [{}, 'abort', { aborted: false }]) {
        let promise: Promise<unknown> | undefined;
        expect(() => {
          promise = target.call(client, { signal: signal as unknown as AbortSignal });
        }).not.toThrow();
        const error = await settle(promise!);
        expect(error).toBeInstanceOf(errors.InvalidRequestError);
        expect(error).toMatchObject({ parameter: 'signal', operation: target.callOperation });
        expectNothingExposed(error);
      }
      expect(appliance.requests).toHaveLength(0);
    });

    it('handles a deeply nested error body without hitting a recursion limit', async () => {
      const depth = 2_400;
      const fields = JSON.stringify(target.errorBody('nested')).slice(1, -1);
      const body = `{${fields},"data":${'{"a":'.repeat(depth)}"${target.secret}"${'}'.repeat(depth)}}`;
      expect(body.length).toBeLessThan(20_000);
      const appliance = await serve((_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(body);
      });
      const error = await settle(target.call(h.client(appliance.url)));
      expect(error).toBeInstanceOf(target.apiError);
      expect(error).toMatchObject({ status: 500, ...target.errorFields });
      expectNothingExposed(error);
    });

    it('neutralizes control characters and escape sequences of server text in the message', async () => {
      const forged = 'Denied\r\n2026-12-07 INFO all tasks succeeded \u001b[2J\u001b]0;owned\u0007\u009b31m\u202etxt.exe';
      const appliance = await serve((_req, res) => sendJson(res, 400, target.errorBody(forged)));
      const error = await settle(target.call(h.client(appliance.url, { retry: false })));
      expect(error).toBeInstanceOf(target.apiError);
      const { message, stack } = error as Error;
      expect(message).toContain('Denied\\r\\n2026-12-07 INFO all tasks succeeded \\x1b[2J\\x1b]0;owned\\x07\\u009b31m\\u202etxt.exe');
      for (const text of [message, String(error), stack ?? '']) expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    });

    it('makes close() idempotent and rejects later calls with ClientClosedError', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 200, ok));
      const client = h.client(appliance.url);
      await target.call(client);
      await expect(client.close()).resolves.toBeUndefined();
      await expect(client.close()).resolves.toBeUndefined();
      for (const call of [() => target.call(client), () => target.rawGet(client)]) {
        const error = await settle(call());
        expect(error).toBeInstanceOf(errors.ClientClosedError);
        expect((error as Error).message).toMatch(/closed/);
      }
      expect(appliance.requests).toHaveLength(1);
    });
  });

  describe('retry only what can heal', () => {
    it('does not retry a certificate failure', async () => {
      const certificate = await selfSignedCertificate();
      const secure = await serve((_req, res) => sendJson(res, 200, ok), { tls: certificate });
      const error = await settle(target.call(h.client(secure.url)));
      expect(error).toBeInstanceOf(errors.TransportError);
      expect(error).toMatchObject({ attempts: 1, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expectNothingExposed(error);
      expect(secure.requests).toHaveLength(0);
    });

    it('does not retry ENOTFOUND, retries EAI_AGAIN and resets', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 200, ok));
      for (const [code, calls] of [
        ['ENOTFOUND', 1],
        ['EAI_AGAIN', 3],
        ['ECONNRESET', 3],
      ] as const) {
        let count = 0;
        const fetch = (): Promise<Response> => {
          count++;
          return Promise.reject(
            new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code} api.example.com`), { code }) }),
          );
        };
        const error = await settle(target.call(h.client(appliance.url, { fetch })));
        expect(error).toBeInstanceOf(errors.TransportError);
        expect(error).toMatchObject({ code, attempts: calls });
        expectNothingExposed(error);
        expect(count).toBe(calls);
      }
    });
  });

  describe('one shared signal', () => {
    it('serves many concurrent calls on one AbortSignal without MaxListenersExceededWarning', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 200, ok));
      const client = h.client(appliance.url);
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => void warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const controller = new AbortController();
        const calls = Array.from({ length: 64 }, () => target.call(client, { signal: controller.signal }));
        const raws = Array.from({ length: 64 }, () => target.rawGet(client, { signal: controller.signal }));
        await expect(Promise.all([...calls, ...raws])).resolves.toHaveLength(128);
        // Warnings are emitted on the next tick.
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('warning', onWarning);
      }
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    });
  });
}
