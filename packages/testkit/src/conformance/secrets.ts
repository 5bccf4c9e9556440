// Secrets never leak: whatever form a server echoes the credential in, no error shows it.
import { describe, expect, it } from 'vitest';
import { sendJson } from '../http-server.js';
import { CALL_TOKEN, echoedForms, settle, type Harness } from './target.js';

export function describeSecrets<Client extends { close(): Promise<void> }>(h: Harness<Client>): void {
  const { target, serve, expectNothingExposed } = h;
  const { errors } = target;
  const credential = (req: { headers: Record<string, string | string[] | undefined> }): string =>
    String(req.headers[target.credentialHeader]);

  describe('secrets never leak', () => {
    it('replaces a JSON parse error that quotes the body by a summary', async () => {
      const appliance = await serve((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"session": "${credential(req)}", "broken`);
      });
      const error = await settle(target.call(h.client(appliance.url)));
      expect(error).toBeInstanceOf(errors.MalformedResponseError);
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect((error as { rawBody: string }).rawBody).toContain('[REDACTED]');
      expectNothingExposed(error);
    });

    it('redacts JSON keys, header values echoed back, and the raw, escaped and encoded forms', async () => {
      const appliance = await serve((req, res) =>
        sendJson(res, 400, {
          ...target.errorBody('bad request'),
          [credential(req)]: 'as a key',
          echoed: req.headers,
          encoded: encodeURIComponent(String(req.headers['x-call-token'])),
        }),
      );
      const error = await settle(
        target.call(h.client(appliance.url, { retry: false }), { headers: { 'x-call-token': `Bearer ${CALL_TOKEN}` } }),
      );
      expect(error).toBeInstanceOf(target.apiError);
      expect(error).toMatchObject({ status: 400, ...target.errorFields });
      expect(JSON.stringify((error as { body: unknown }).body)).toContain('[REDACTED]');
      expectNothingExposed(error);
    });

    it('redacts a secret in a redirected URL', async () => {
      const secret = encodeURIComponent(target.secret);
      const appliance = await serve((req, res) => {
        if (req.url.startsWith('/r/')) return sendJson(res, 500, target.errorBody('failed'));
        res.writeHead(302, { location: `/r/${secret}?sid=${secret}` });
        res.end();
      });
      const error = await settle(target.call(h.client(appliance.url)));
      expect(error).toBeInstanceOf(target.apiError);
      expect((error as { url: string }).url).toContain('/r/');
      expectNothingExposed(error);
    });

    it('redacts a secret however the server encodes it: form-encoded, RFC 3986, PHP JSON, HTML, a redirected URL', async () => {
      const { secret, rfc3986, php, html, form, pathForm } = echoedForms();
      const appliance = await serve((req, res) => {
        if (req.url.startsWith('/r/')) {
          res.writeHead(500, { 'content-type': 'text/html' });
          return res.end(`<p>${html}</p><p>${rfc3986}</p><p>${php}</p><p>${form}</p>`);
        }
        // The URL parser re-encodes the path; the query is re-serialized as a form when a sid is hidden.
        res.writeHead(302, { location: `/r/${rfc3986}?sid=1&q=${rfc3986}` });
        res.end();
      });
      const error = await settle(target.call(h.client(appliance.url, { secret })));
      expect(error).toBeInstanceOf(target.apiError);
      expect((error as { body: unknown }).body).toBe('<p>[REDACTED]</p><p>[REDACTED]</p><p>[REDACTED]</p><p>[REDACTED]</p>');
      expectNothingExposed(error, [secret, rfc3986, php, html, form, pathForm, form.toLowerCase(), ...target.sentForms(secret)]);
    });

    it('never shows part of a secret where a long error body is cut', async () => {
      const appliance = await serve((req, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        // Thousands of echoes before the cut: replacing them shortens the text, a secret straddles the
        // cut. The padding (from a header) moves where the echoes fall.
        const padding = 'p'.repeat(Number(req.headers['x-padding']));
        const echo = `${credential(req)} `;
        res.end(padding + echo.repeat(Math.ceil(80_000 / echo.length)));
      });
      const client = h.client(appliance.url);
      for (const secret of [target.secret, ...target.sentForms(target.secret)]) {
        for (let padding = 0; padding < secret.length; padding += 3) {
          const error = await settle(target.call(client, { headers: { 'x-padding': String(padding) } }));
          expect(error).toBeInstanceOf(target.apiError);
          expect((error as { body: unknown }).body).toMatch(/\[cut: \d+ characters in all\]$/);
          expectNothingExposed(error, [secret.slice(0, 6)]);
        }
      }
    });

    it('redacts short and JSON-escaped secrets', async () => {
      const tricky = 'a"b\\c/d';
      for (const secret of ['k9', tricky]) {
        const appliance = await serve((req, res) => {
          res.writeHead(403, { 'content-type': 'text/plain' });
          const sent = [secret, credential(req)];
          res.end(sent.map((each) => `got ${JSON.stringify(each)} and ${JSON.stringify({ s: each }).replaceAll('/', '\\/')}`).join('; '));
        });
        const error = await settle(target.call(h.client(appliance.url, { secret })));
        expect(error).toBeInstanceOf(target.apiError);
        expectNothingExposed(error, [secret, JSON.stringify(secret).slice(1, -1), ...target.sentForms(secret)]);
      }
    });
  });
}
