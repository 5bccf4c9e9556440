import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, safeUrl } from './redact.js';
import { formatMessage, requireBaseUrl } from './util.js';

describe('Redactor', () => {
  it('hides a Basic password in plain and base64 form, in text and in nested values', () => {
    const redactor = Redactor.forBasicAuth('apiuser', 'subscription-42');
    const basic = Buffer.from('apiuser:subscription-42').toString('base64');
    expect(redactor.text(`pw=subscription-42 auth=Basic ${basic}`)).toBe(`pw=${REDACTED} auth=${REDACTED}`);
    expect(redactor.value({ a: ['subscription-42'], b: { c: basic }, n: 1 })).toEqual({ a: [REDACTED], b: { c: REDACTED }, n: 1 });
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

describe('requireBaseUrl', () => {
  it('explains what a base URL must be', () => {
    expect(requireBaseUrl('https://mgr.example.com/velostrata/api/v42/', 'x')).toBe('https://mgr.example.com/velostrata/api/v42');
    expect(() => requireBaseUrl('mgr.example.com', 'https://e')).toThrow(/absolute URL, e.g. https:\/\/e/);
    expect(() => requireBaseUrl('ftp://h', 'x')).toThrow(/http or https/);
    expect(() => requireBaseUrl('https://u:p@h', 'x')).toThrow(/must not contain credentials/);
    expect(() => requireBaseUrl(undefined, 'x')).toThrow(/required/);
  });
});
