// Request hooks: each step of a call is told (retries and redirects with their numbers), never a
// secret in any form, and a hook that throws ends the call with a typed error naming it.
import { describe, expect, it } from 'vitest';
import { exposedForms } from '../exposure.js';
import { sendJson } from '../http-server.js';
import { CALL_TOKEN, type ConformanceHooks, echoedForms, settle, type Harness } from './target.js';

type Told = { hook: string; info: Record<string, unknown> };

/** Hooks that record what each is told. */
function recordingHooks(): { told: Told[]; hooks: ConformanceHooks } {
  const told: Told[] = [];
  const record = (hook: string) => (info: object) => void told.push({ hook, info: info as Record<string, unknown> });
  return {
    told,
    hooks: { onRequest: record('onRequest'), onResponse: record('onResponse'), onRetry: record('onRetry'), onError: record('onError') },
  };
}

/** Every string inside a value, keys included, walking objects, arrays and errors (own and hidden fields, causes). */
export function everyString(root: unknown): string[] {
  const strings: string[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, depth: number): void => {
    if (typeof value === 'string') strings.push(value);
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 20) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'string') strings.push(key);
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) walk(descriptor.value, depth + 1);
    }
    if (value instanceof Error) walk(value.cause, depth + 1);
  };
  walk(root, 0);
  return strings;
}

export function describeHooks<Client extends { close(): Promise<void> }>(h: Harness<Client>): void {
  const { target, serve } = h;
  const { errors } = target;

  /** Nothing any hook was told, in any form (deep walk, inspect, JSON), holds a secret in any form. */
  const expectToldNothing = (told: Told[], secrets: readonly string[]): void => {
    expect(told.length).toBeGreaterThan(0);
    for (const { info } of told) {
      const forms = [...everyString(info), ...exposedForms(info), ...(info['error'] ? exposedForms(info['error']) : [])];
      for (const form of forms) {
        expect(form).not.toMatch(/^UNSHOWABLE/);
        for (const secret of secrets) {
          expect(form).not.toContain(secret);
          expect(form).not.toContain(encodeURIComponent(secret));
        }
      }
    }
  };

  describe('request hooks', () => {
    it('tells each request, response, retry and redirect with its attempt and redirect count, then the failure', async () => {
      let calls = 0;
      const appliance = await serve((req, res) => {
        calls++;
        if (calls === 1) return sendJson(res, 503, target.errorBody('busy'));
        if (req.url.startsWith('/moved/')) return sendJson(res, 500, target.errorBody('failed'));
        res.writeHead(302, { location: `/moved/${encodeURIComponent(target.secret)}?sid=${encodeURIComponent(target.secret)}` });
        res.end();
      });
      const { told, hooks } = recordingHooks();
      const error = await settle(target.call(h.client(appliance.url, { hooks })));
      expect(error).toBeInstanceOf(target.apiError);
      expect(told.map(({ hook, info }) => [hook, info['attempt'], info['redirects'], info['status']])).toEqual([
        ['onRequest', 1, 0, undefined],
        ['onResponse', 1, 0, 503],
        ['onRetry', 1, 0, 503],
        ['onRequest', 2, 0, undefined],
        ['onResponse', 2, 0, 302],
        ['onRequest', 2, 1, undefined],
        ['onResponse', 2, 1, 500],
        ['onError', 2, 1, 500],
      ]);
      const [first] = told;
      expect(first?.info).toMatchObject({ operation: target.callOperation, method: 'GET', urlTemplate: target.callPath.split('?')[0] });
      expect(first?.info['url']).toBe(`${appliance.url}${target.callPath}`);
      expect(told[5]?.info['url']).toContain('/moved/');
      expect(told.at(-1)?.info['error']).toBe(error);
      for (const { hook, info } of told) {
        if (hook === 'onResponse' || hook === 'onError') expect(info['durationMs']).toBeGreaterThanOrEqual(0);
        if (hook === 'onRetry') expect(info).toMatchObject({ reason: 'status', delayMs: expect.any(Number) });
      }
      expect(Object.isFrozen(first?.info)).toBe(true);
    });

    it('names the raw client’s calls by the same URL template', async () => {
      const appliance = await serve((_req, res) => sendJson(res, 200, target.okBody));
      const typed = recordingHooks();
      await target.call(h.client(appliance.url, { hooks: typed.hooks }));
      const raw = recordingHooks();
      await target.rawGet(h.client(appliance.url, { hooks: raw.hooks }));
      expect(raw.told.map(({ hook }) => hook)).toEqual(['onRequest', 'onResponse']);
      expect(raw.told[0]?.info).toMatchObject({ method: 'GET', urlTemplate: typed.told[0]?.info['urlTemplate'] });
    });

    it('tells a retry of a failed attempt with its code', async () => {
      let calls = 0;
      const appliance = await serve((_req, res) => {
        if (++calls === 1) return res.destroy();
        sendJson(res, 200, target.okBody);
      });
      const { told, hooks } = recordingHooks();
      await target.call(h.client(appliance.url, { hooks }));
      const retry = told.find(({ hook }) => hook === 'onRetry');
      expect(retry?.info).toMatchObject({ attempt: 1, reason: 'network', status: undefined, code: expect.any(String) });
      expect(told.at(-1)).toMatchObject({ hook: 'onResponse', info: { attempt: 2, status: 200 } });
    });

    it('never tells a secret, in any form a server echoes it or a redirect carries it', async () => {
      const { secret, rfc3986, php, html, form, pathForm } = echoedForms();
      let calls = 0;
      const appliance = await serve((req, res) => {
        calls++;
        if (calls === 1) return sendJson(res, 503, { echoed: req.headers, secret, php, html });
        if (req.url.startsWith('/r/')) {
          res.writeHead(500, { 'content-type': 'text/html', 'x-echo': String(req.headers['x-call-token']) });
          return res.end(`<p>${html}</p><p>${rfc3986}</p><p>${php}</p><p>${form}</p>${JSON.stringify(req.headers)}`);
        }
        res.writeHead(302, { location: `/r/${rfc3986}/${encodeURIComponent(CALL_TOKEN)}?sid=1&q=${rfc3986}&t=${CALL_TOKEN}` });
        res.end();
      });
      const { told, hooks } = recordingHooks();
      const error = await settle(
        target.call(h.client(appliance.url, { secret, hooks }), { headers: { 'x-call-token': `Bearer ${CALL_TOKEN}` } }),
      );
      expect(error).toBeInstanceOf(target.apiError);
      expect(told.map(({ hook }) => hook)).toContain('onError');
      expectToldNothing(told, [secret, rfc3986, php, html, form, pathForm, form.toLowerCase(), CALL_TOKEN, ...target.sentForms(secret)]);
    });

    for (const hook of ['onRequest', 'onResponse', 'onRetry', 'onError'] as const) {
      it(`rejects the call with a HookError naming ${hook} when it throws, the call’s secrets hidden`, async () => {
        let calls = 0;
        const appliance = await serve((_req, res) =>
          ++calls === 1 ? sendJson(res, 503, target.errorBody('busy')) : sendJson(res, 500, target.errorBody('failed')),
        );
        // A careless hook quotes what it should not: the credential and the call's own token.
        const throwing = async (): Promise<void> => {
          throw new Error(`${hook} saw ${target.secret} and Bearer ${CALL_TOKEN}`);
        };
        const client = h.client(appliance.url, { hooks: { [hook]: throwing } });
        const error = await settle(target.call(client, { headers: { 'x-call-token': `Bearer ${CALL_TOKEN}` } }));
        expect(error).toBeInstanceOf(errors.HookError);
        expect(error).toMatchObject({ hook, operation: target.callOperation });
        expect((error as Error).message).toContain(`the ${hook} hook threw`);
        expect((error as Error).cause).toBeInstanceOf(Error);
        if (hook === 'onError') expect((error as { callError: unknown }).callError).toBeInstanceOf(target.apiError);
        // Thrown before anything was sent: no request reached the server.
        if (hook === 'onRequest') expect(calls).toBe(0);
        h.expectNothingExposed(error);
      });
    }
  });
}
