// Credentials never go to another origin: redirects to another host or from https to http are
// refused before anything is sent there; same-origin ones are followed, with the credentials.
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate, sendJson } from '../http-server.js';
import { settle, type Harness } from './target.js';

export function describeRedirects<Client extends { close(): Promise<void> }>(h: Harness<Client>): void {
  const { target, serve, expectNothingExposed } = h;
  const { errors, okBody: ok } = target;
  const callPathname = new URL(target.callPath, 'http://h').pathname;

  describe('credentials never go to another origin', () => {
    it('refuses a redirect to another host, naming status and origin only; that host sees nothing', async () => {
      const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
      const forms = [target.secret, ...target.sentForms(target.secret)];
      const query = forms.map((form) => `sid=${form}`).join('&');
      const appliance = await serve((req, res) => {
        const location = `${elsewhere.url}/steal/${forms.map(encodeURIComponent).join('/')}?${query}`;
        res.writeHead(Number(req.headers['x-status'] ?? 302), { location });
        res.end();
      });
      const client = h.client(appliance.url);
      for (const status of [302, 308]) {
        const headers = { 'x-status': String(status) };
        for (const call of [() => target.call(client, { headers }), () => target.rawGet(client, { headers })]) {
          const error = await settle(call());
          expect(error).toBeInstanceOf(errors.RedirectError);
          expect(error).toMatchObject({ status, reason: 'cross-origin', targetOrigin: elsewhere.url });
          expect((error as Error).message).toContain(elsewhere.url);
          expect((error as Error).message).not.toContain('/steal');
          expectNothingExposed(error);
        }
      }
      expect(elsewhere.requests).toHaveLength(0);
    });

    it('refuses https → http, even to the same host', async () => {
      const certificate = await selfSignedCertificate();
      const plain = await serve((_req, res) => sendJson(res, 200, ok));
      const secure = await serve(
        (req, res) => {
          res.writeHead(301, { location: `${plain.url}${req.url}` });
          res.end();
        },
        { tls: certificate },
      );
      const error = await settle(target.call(h.client(secure.url, { tls: { ca: certificate.cert } })));
      expect(error).toBeInstanceOf(errors.RedirectError);
      expect(error).toMatchObject({ status: 301, reason: 'downgrade', targetOrigin: plain.url });
      expectNothingExposed(error);
      expect(plain.requests).toHaveLength(0);
    });

    it('follows same-origin redirects with the credentials, up to maxRedirects', async () => {
      const appliance = await serve((req, res) => {
        if (req.url.startsWith('/moved')) return sendJson(res, 200, ok);
        res.writeHead(307, { location: '/moved/tasks' });
        res.end();
      });
      const client = h.client(appliance.url);
      await expect(target.call(client)).resolves.toEqual(ok);
      const credential = appliance.requests[0]?.headers[target.credentialHeader];
      expect(String(credential)).toContain(target.sentForms(target.secret)[0] ?? target.secret);
      expect(appliance.requests.map((r) => [r.url, r.headers[target.credentialHeader]])).toEqual([
        [target.callPath, credential],
        ['/moved/tasks', credential],
      ]);

      const loop = await serve((req, res) => {
        res.writeHead(302, { location: `/again${req.url}` });
        res.end();
      });
      const error = await settle(target.call(h.client(loop.url, { maxRedirects: 2 })));
      expect(error).toBeInstanceOf(errors.RedirectError);
      expect(error).toMatchObject({ reason: 'too-many', targetOrigin: loop.url });
      expectNothingExposed(error);
      expect(loop.requests).toHaveLength(3);
    });

    it('follows a same-origin Location with user info the same way with the pool and a user fetch, never sending it', async () => {
      const appliance = await serve((req, res) => {
        if (req.url === '/ok') return sendJson(res, 200, ok);
        res.writeHead(302, { location: `http://intruder:${encodeURIComponent(target.secret)}@127.0.0.1:${appliance.port}/ok` });
        res.end();
      });
      for (const options of [{}, { fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) }]) {
        await expect(target.call(h.client(appliance.url, options))).resolves.toEqual(ok);
      }
      const sent = appliance.requests.filter((r) => r.url === '/ok').map((r) => r.headers['authorization']);
      // A client whose own credential is an Authorization header sends it, never one made of the user info.
      const intruder = `Basic ${Buffer.from(`intruder:${target.secret}`).toString('base64')}`;
      expect(sent).toHaveLength(2);
      for (const authorization of sent) expect(authorization).not.toBe(intruder);
      if (target.credentialHeader !== 'authorization') expect(sent).toEqual([undefined, undefined]);
    });

    it('refuses a raw request pointed at another origin before sending anything', async () => {
      const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
      const appliance = await serve((_req, res) => sendJson(res, 200, ok));
      const error = await settle(target.rawGet(h.client(appliance.url), { baseUrl: elsewhere.url }));
      expect(error).toBeInstanceOf(errors.InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'baseUrl' });
      expectNothingExposed(error);
      expect(elsewhere.requests).toHaveLength(0);
    });

    it('refuses a per-call fetch on raw, which would follow a redirect to another host with the credentials', async () => {
      const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
      const appliance = await serve((_req, res) => {
        res.writeHead(302, { location: `${elsewhere.url}/steal` });
        res.end();
      });
      const error = await settle(target.rawGet(h.client(appliance.url), { fetch: globalThis.fetch }));
      expect(error).toBeInstanceOf(errors.InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'fetch' });
      expectNothingExposed(error);
      expect(appliance.requests).toHaveLength(0);
      expect(elsewhere.requests).toHaveLength(0);
    });

    it('keeps a user-supplied fetch under the same policy', async () => {
      const elsewhere = await serve((_req, res) => sendJson(res, 200, ok), { host: '127.0.0.2' });
      const appliance = await serve((req, res) => {
        if (req.url === '/ok') return sendJson(res, 200, ok);
        res.writeHead(302, { location: req.headers['x-where'] === 'away' ? `${elsewhere.url}/x` : '/ok' });
        res.end();
      });
      const seen: string[] = [];
      const fetch = (input: string, init: RequestInit): Promise<Response> => {
        seen.push(`${init.redirect} ${new URL(input).pathname}`);
        return globalThis.fetch(input, init);
      };
      const client = h.client(appliance.url, { fetch });
      await expect(target.call(client)).resolves.toEqual(ok);
      expect(seen).toEqual([`manual ${callPathname}`, 'manual /ok']);
      const error = await settle(target.call(client, { headers: { 'x-where': 'away' } }));
      expect(error).toBeInstanceOf(errors.RedirectError);
      expect(error).toMatchObject({ reason: 'cross-origin' });
      expectNothingExposed(error);
      expect(elsewhere.requests).toHaveLength(0);
    });
  });
}
