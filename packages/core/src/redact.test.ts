import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, TransportError } from './errors.js';
import { REDACTED, Redactor, safeUrl } from './redact.js';
import { formatMessage, requireBaseUrl, requireCredential } from './util.js';

describe('Redactor', () => {
  it('hides a Basic password in plain and base64 form, in text and in nested values, keys included', () => {
    const redactor = Redactor.forBasicAuth('apiuser', 'subscription-42');
    const basic = Buffer.from('apiuser:subscription-42').toString('base64');
    expect(redactor.text(`pw=subscription-42 auth=Basic ${basic}`)).toBe(`pw=${REDACTED} auth=${REDACTED}`);
    expect(redactor.value({ a: ['subscription-42'], b: { c: basic }, n: 1, 'subscription-42': true })).toEqual({
      a: [REDACTED],
      b: { c: REDACTED },
      n: 1,
      [REDACTED]: true,
    });
  });

  it('hides JSON-escaped, \\u-escaped, slash-escaped and URL-encoded forms, and short secrets', () => {
    const secret = 'pä"ss/wörd x';
    const redactor = new Redactor([secret, 'k9']);
    const echoes = [
      secret,
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(secret).slice(1, -1).replaceAll('/', '\\/'),
      'p\\u00e4\\"ss/w\\u00f6rd x',
      encodeURIComponent(secret),
      encodeURIComponent(secret).replaceAll('%20', '+'),
      'k9',
    ];
    for (const echo of echoes) expect(redactor.text(`<${echo}>`)).toBe(`<${REDACTED}>`);
  });

  it('hides the forms other encoders write: URLSearchParams, Java URLEncoder, RFC 3986, PHP JSON, URL paths, HTML', () => {
    const secret = "p(a)ss!w'o*rd~é/x <&>";
    const redactor = new Redactor([secret]);
    const rfc3986 = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const echoes = [
      new URLSearchParams({ a: secret }).toString().slice(2),
      rfc3986,
      rfc3986.toLowerCase(),
      encodeURIComponent(rfc3986),
      new URL(`http://h/${secret}`).pathname.slice(1),
      JSON.stringify(secret)
        .slice(1, -1)
        .replaceAll('/', '\\/')
        .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      JSON.stringify(secret)
        .slice(1, -1)
        .replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
      secret.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
    ];
    for (const echo of echoes) expect(redactor.text(`<${echo}>`)).toBe(`<${REDACTED}>`);
  });

  it('cuts a long text without showing part of a secret that straddles the cut', () => {
    const secret = 'sess-7f3a9c2e-long-lived-0123456789';
    const redactor = new Redactor([secret]);
    // Many echoes before the cut shorten the text as they are replaced: the cut must be counted on the original.
    const text = `${secret} `.repeat(3_000) + 'y'.repeat(10);
    for (let limit = text.length - 200; limit < text.length - 10; limit += 7) {
      const kept = redactor.textUpTo(text, limit);
      for (let part = 6; part <= secret.length; part++) expect(kept).not.toContain(secret.slice(0, part));
      expect(kept.endsWith(REDACTED) || kept.endsWith(' ')).toBe(true);
    }
  });

  it('replaces a short secret where it stands alone, not inside words', () => {
    const redactor = new Redactor(['s', 'k9']);
    expect(redactor.text('response.body.items.0.info.status: bad; session "s", key=k9, ak9b')).toBe(
      `response.body.items.0.info.status: bad; session "${REDACTED}", key=${REDACTED}, ak9b`,
    );
  });

  it('learns the secrets of sensitive headers: Bearer tokens, Basic parts, cookies, custom names', () => {
    const basic = Buffer.from('ops:hunter2-pw').toString('base64');
    const redactor = new Redactor([]).withHeaders({
      Authorization: `Basic ${basic}`,
      Cookie: 'a=cookie-one; b=cookie-two',
      'X-Api-Key': 'key-123456',
      'x-trace': 'not-a-secret',
    });
    expect(redactor.text(`hunter2-pw ${basic} cookie-one cookie-two key-123456 not-a-secret`)).toBe(
      `${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} not-a-secret`,
    );
  });

  it('keeps a "__proto__" key of a server body as a key, never as the prototype of the copy', () => {
    const copy = new Redactor(['tok-12345678']).value(
      JSON.parse('{"__proto__": {"error_type": "NOT_FOUND", "t": "tok-12345678"}}'),
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy['error_type']).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(`{"__proto__":{"error_type":"NOT_FOUND","t":"${REDACTED}"}}`);
  });

  it('copies any depth without recursion, cutting below 32 levels', () => {
    let deep: unknown = 'secret-at-the-bottom';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const copy = new Redactor(['secret-at-the-bottom']).value(deep);
    expect(() => JSON.stringify(copy)).not.toThrow();
    expect(JSON.stringify(copy)).toContain('[nested too deep]');
  });

  it('redacts an error in place: message, stack, fields and the cause chain', () => {
    const secret = 'tok-3f9a';
    const cause = Object.assign(new Error(`connect to https://h/?t=${secret} failed`), { code: 'ECONNRESET' });
    const error = new TransportError(
      `failed: ${secret}`,
      { operation: 'op', method: 'GET', url: `https://h/${secret}`, attempts: 1 },
      { cause: new TypeError('fetch failed', { cause }) },
    );
    new Redactor([secret]).error(error);
    const shown = [error.message, error.stack, error.url, JSON.stringify(error), inspect(error, { showHidden: true, depth: Infinity })];
    for (const form of shown) expect(form).not.toContain(secret);
    expect((error.cause as Error).cause).toMatchObject({ code: 'ECONNRESET', message: `connect to https://h/?t=${REDACTED} failed` });
  });
});

describe('safeUrl', () => {
  it('drops user info and hides credential-like query values', () => {
    expect(safeUrl('https://u:p@h.example/x?session=abc&status=RUNNING')).toBe(
      `https://h.example/x?session=${encodeURIComponent(REDACTED)}&status=RUNNING`,
    );
  });
});

describe('formatMessage', () => {
  it('fills {n} placeholders and leaves unknown ones', () => {
    expect(formatMessage('Datastore {0} is not accessible from {1}; {2}', ['ds1', 'host-7'])).toBe(
      'Datastore ds1 is not accessible from host-7; {2}',
    );
  });
});

describe('requireBaseUrl and requireCredential', () => {
  it('explain what is expected, naming the option', () => {
    expect(requireBaseUrl('https://mgr.example.com/velostrata/api/v42/', 'x')).toBe('https://mgr.example.com/velostrata/api/v42');
    const refused: [unknown, RegExp][] = [
      ['mgr.example.com', /absolute URL, e.g. https:\/\/e/],
      ['ftp://h', /http or https/],
      ['https://u:p@h', /must not contain credentials/],
      [undefined, /required/],
      ['https://h/?a=1', /query/],
      ['https://h/?', /query/],
      ['https://h/#x', /fragment/],
      [' https://h', /spaces/],
    ];
    for (const [value, message] of refused) {
      expect(() => requireBaseUrl(value, 'https://e')).toThrow(message);
      expect(() => requireBaseUrl(value, 'https://e')).toThrow(ConfigurationError);
    }
    expect(() => requireBaseUrl('https://u:sekrit@h', 'x')).not.toThrow(/sekrit/);
    expect(() => requireCredential('a\nb', 'password', 'x')).toThrow(/password must not contain control characters/);
    expect(() => requireCredential('', 'password', 'x')).toThrow(/password must be a non-empty string/);
  });
});
