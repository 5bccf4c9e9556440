import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError, TransportError } from './errors.js';
import { neutralize } from './neutralize.js';
import { Redactor } from './redact.js';

const where = { operation: 'probe', method: 'GET', url: 'http://127.0.0.1/' };
// CR LF (a forged log line), ESC sequences (7-bit and C1 CSI), DEL, bidi override and isolate, line separator.
const hostile = 'denied\r\n2026-01-01 INFO login ok \u001b[2J\u001b]0;pwned\u0007\u009b31m\u007f \u202etxt.exe\u2066\u2028end';

describe('server text in error messages', () => {
  it('shows control, C1 and bidi characters as escapes, and leaves other text alone', () => {
    expect(neutralize(hostile)).toBe(
      'denied\\r\\n2026-01-01 INFO login ok \\x1b[2J\\x1b]0;pwned\\x07\\u009b31m\\x7f \\u202etxt.exe\\u2066\\u2028end',
    );
    expect(neutralize('tâche échouée: «disk full» 🚫\\x1b')).toBe('tâche échouée: «disk full» 🚫\\x1b');
  });

  it('neutralizes every error message at construction, in the stack and cause too; the body keeps the raw text', () => {
    const error = new ApiError(`HTTP 400: ${hostile}`, { ...where, status: 400, body: { message: hostile } });
    // The stack's own line breaks come before its frames; the message line must have none.
    const stackHead = (error.stack ?? '').split('\n    at ')[0]!;
    for (const shown of [error.message, stackHead, String(error), String(error.toJSON()['message'])]) {
      expect(shown).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202e\u2066\u2028]/);
    }
    expect(error.body).toEqual({ message: hostile });

    const withCause = new TransportError('failed', { ...where, attempts: 1 }, { cause: new Error(hostile) });
    expect(inspect(withCause)).toContain('[cause]: Error: denied\\r\\n2026');
  });

  it('a secret with a bidi character is still redacted once escaped', () => {
    const secret = 'pass\u202eword-42';
    const error = new ApiError(`bad password ${secret}`, { ...where, status: 401, body: undefined });
    expect(new Redactor([secret]).error(error).message).toBe('bad password [REDACTED]');
  });
});
