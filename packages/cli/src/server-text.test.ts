import { describe, expect, it } from 'vitest';
import { Redactor, TaskFailedError, type TaskSnapshot } from '@vmtasks/core';
import { snapservice } from './apis/snapservice.js';
import { velostrata } from './apis/velostrata.js';
import { credentialRedactor } from './credentials.js';
import { createColors } from './render/colors.js';
import { renderTaskTable } from './render/table.js';
import { jsonText, ServerText, visible } from './server-text.js';

// Every kind of character a server must not get to a terminal raw.
const HOSTILE = [
  '\u001b]52;c;SDJQV05FRA==\u0007', // OSC 52: write the clipboard
  '\u001b[6n', // make the terminal type a reply
  '\u001b]8;;http://evil.example/\u001b\\link\u001b]8;;\u001b\\', // a disguised link
  'x\r SPOOF\b\b', // overwrite what was printed
  '\u009b31m', // C1 CSI
  '\u202e\u2066\u200f', // bidi override, isolate, mark
  '\u2028\u{e0041}\ud800\u007f\t\n', // line separator, tag character, lone surrogate, DEL, tab, newline
].join('');
// The unsafe characters themselves: C0, DEL, C1, bidi and other format characters, separators, surrogates.
const RAW_UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\u2028\u2029\ufeff\ud800-\udfff]|\u{e0041}/u;

describe('visible', () => {
  it('writes C0 and DEL in caret notation and every other unsafe character as <U+XXXX>', () => {
    expect(visible(HOSTILE)).toBe(
      '^[]52;c;SDJQV05FRA==^G^[[6n^[]8;;http://evil.example/^[\\link^[]8;;^[\\x^M SPOOF^H^H<U+009B>31m<U+202E><U+2066><U+200F>' +
        '<U+2028><U+E0041><U+D800>^?^I^J',
    );
    expect(visible(HOSTILE)).not.toMatch(RAW_UNSAFE);
  });

  it('leaves text as it is otherwise: accents, CJK, emoji joined by ZWJ, Persian with ZWNJ', () => {
    const text = 'Réplication 磁盘 👩‍💻 می‌خواهم ✓';
    expect(visible(text)).toBe(text);
  });
});

describe('jsonText', () => {
  it('escapes every unsafe character, so the bytes are harmless and the values exact', () => {
    const value = { message: HOSTILE, nested: [HOSTILE] };
    for (const indent of [undefined, 2]) {
      const json = jsonText(value, indent);
      expect(json.replaceAll('\n', '')).not.toMatch(RAW_UNSAFE);
      expect(JSON.parse(json)).toEqual(value);
    }
    expect(jsonText({ m: '\u009b\u202e' })).toBe('{"m":"\\u009b\\u202e"}');
  });
});

describe('ServerText', () => {
  const password = 'subscription-secret-2026';
  const basic = Buffer.from(`apiuser:${password}`).toString('base64');
  const redactor = credentialRedactor([velostrata.envCredentials({ VELOSTRATA_PASSWORD: password })]);
  const snapshot: TaskSnapshot = {
    api: 'velostrata',
    id: 'task-1',
    kind: `Full\u001b[6nMigration`,
    state: 'failed',
    error: `the server echoed Authorization: Basic ${basic} back`,
    message: `progress of ${basic}`,
  };

  it('redacts a Basic credential before the table cuts it: no prefix of it at any width', () => {
    const text = new ServerText(redactor, { forPeople: true });
    for (const width of [80, 100, 140, 200]) {
      const table = renderTaskTable([{ snapshot: text.snapshot(snapshot), gone: false }], {
        width,
        now: 0,
        colors: createColors(false),
        showApi: false,
      }).join('\n');
      expect(table).toContain('Full^[[6nMigration');
      for (let start = 0; start + 6 <= basic.length; start++)
        expect(table, `${width} columns`).not.toContain(basic.slice(start, start + 6));
    }
  });

  it('for JSON, keeps the exact characters (jsonText escapes them) and still redacts', () => {
    const exact = new ServerText(redactor, { forPeople: false }).snapshot(snapshot);
    expect(exact.kind).toBe(snapshot.kind);
    expect(exact.error).toBe('the server echoed Authorization: [REDACTED] back');
  });

  it('redacts and makes visible what events and errors carry', () => {
    const text = new ServerText(new Redactor(['sess-secret-1']), { forPeople: true });
    const event = text.event({ type: 'changed', snapshot, previous: snapshot, item: { raw: 'token sess-secret-1' } });
    expect(event).toMatchObject({ snapshot: { kind: 'Full^[[6nMigration' }, previous: { kind: 'Full^[[6nMigration' } });
    expect(event.type === 'changed' && event.item).toEqual({ raw: 'token [REDACTED]' });
    const error = new TaskFailedError('Task t failed: \u001b]52;c;eA==\u0007 sess-secret-1', {
      operation: 'waitForTask',
      method: 'GET',
      url: 'http://127.0.0.1/',
      taskId: 't',
      snapshot,
      item: undefined,
    });
    // The client's own error already shows control characters escaped (core's neutralize): nothing raw is left to make visible.
    expect(text.error(error).message).toBe('Task t failed: \\x1b]52;c;eA==\\x07 [REDACTED]');
  });

  it('takes a stall notice’s last error through the gate too', () => {
    const text = new ServerText(new Redactor(['sess-secret-1']), { forPeople: true });
    const lastError = new TaskFailedError('refused sess-secret-1 \u009b31m', {
      operation: 'listTasks',
      method: 'GET',
      url: 'http://127.0.0.1/',
      taskId: undefined,
      snapshot: undefined,
      item: undefined,
    });
    const event = text.event({ type: 'stalled', since: '2026-11-23T21:08:30.000Z', lastError });
    // (core's errors already escape control characters in their messages; the gate redacts and keeps them harmless)
    expect(event.type === 'stalled' && event.lastError.message).toBe('refused [REDACTED] \\u009b31m');
    const recovered = { type: 'recovered' as const, since: '2026-11-23T21:08:30.000Z', at: '2026-11-23T21:09:00.000Z' };
    expect(text.event(recovered)).toEqual(recovered);
  });
});

describe('credentialRedactor', () => {
  it('hides every form the clients hide: Basic forms, session ids, the token in an Authorization value', () => {
    const redactor = credentialRedactor([
      velostrata.envCredentials({ VELOSTRATA_USERNAME: 'ops', VELOSTRATA_PASSWORD: 'pw-secret-77' }),
      snapservice.envCredentials({
        SNAPSERVICE_SESSION_ID: 'sess-secret-88',
        SNAPSERVICE_AUTHORIZATION: 'SIGN token="saml-token-secret-99"',
      }),
    ]);
    const forms = [
      'pw-secret-77',
      Buffer.from('ops:pw-secret-77').toString('base64'),
      `Basic ${Buffer.from('ops:pw-secret-77').toString('base64')}`,
      encodeURIComponent('sess-secret-88'),
      JSON.stringify('saml-token-secret-99').slice(1, -1),
      'saml-token-secret-99',
      '&#x73;ess-secret-88',
    ];
    for (const form of forms) expect(redactor.text(`echo ${form} end`), form).toBe('echo [REDACTED] end');
  });
});
