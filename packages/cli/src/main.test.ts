import { describe, expect, it } from 'vitest';
import { fakeIO, runMain as run } from '../test/fake-io.js';
import { main } from './main.js';
import { Redactor } from '@vmtasks/core';
import { redactingStream } from './io.js';

describe('vmtasks usage', () => {
  it('--help and --version succeed on stdout', async () => {
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    for (const word of ['tasks', 'watch', 'wait', 'show', 'cancel', 'simulate', 'VELOSTRATA_URL', 'SNAPSERVICE_SERVICES', 'Exit status'])
      expect(help.stdout).toContain(word);
    for (const word of ['SNAPSERVICE_USERNAME', 'SNAPSERVICE_PASSWORD']) expect(help.stdout).toContain(word);
    expect(await run(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    expect((await run(['tasks', '--help'])).stdout).toContain('--all');
    for (const flag of ['--wait', '--timeout', '--interval']) expect((await run(['cancel', '--help'])).stdout).toContain(flag);
    const watchHelp = await run(['watch', '--help']);
    for (const flag of ['--until-done', '--json', '--interval', '--api', '--task', '--service', '--status', '--insecure'])
      expect(watchHelp.stdout).toContain(flag);
  });

  it('unknown flags, commands and bad values exit 2 with a helpful line', async () => {
    const flag = await run(['watch', '--untildone']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("error: unknown option '--untildone'");
    expect(flag.stderr).toContain('(Did you mean --until-done?)');
    const command = await run(['wach']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('(Did you mean watch?)');
    expect((await run(['watch', '--api', 'vsphere'])).stderr).toMatch(
      /argument 'vsphere' is invalid. Allowed choices are all, velostrata, snapservice/,
    );
    expect((await run(['watch', '--status', 'DONE'])).stderr).toContain('expected one of PENDING, RUNNING, BLOCKED, SUCCEEDED, FAILED');
    expect((await run(['wait', 'task-1', '--timeout', 'soon'])).code).toBe(2);
    expect((await run(['wait'])).stderr).toContain("missing required argument 'id'");
  });

  it('configuration errors exit 2 and say what to set', async () => {
    const none = await run(['tasks']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set VELOSTRATA_URL');
    expect(none.stderr).toContain('vmtasks simulate');
    const snapservice = await run(['watch', '--api', 'snapservice'], {
      SNAPSERVICE_URL: 'http://127.0.0.1:9',
      SNAPSERVICE_SESSION_ID: 'sess-secret-1',
    });
    expect(snapservice).toMatchObject({ code: 2, stdout: '' });
    expect(snapservice.stderr).toContain('pass --task ID or --service NAME');
  });

  it('never prints a secret, even when it is part of what went wrong', async () => {
    const secret = 'subscription-secret-42';
    const result = await run(['tasks', '--api', 'velostrata', '--velostrata-url', `not a url ${secret}`, '--verbose'], {
      VELOSTRATA_PASSWORD: secret,
      VELOSTRATA_URL: 'x',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain(secret);
  });

  it('scrubs every secret from whatever reaches stdout or stderr', async () => {
    const io = fakeIO({ SNAPSERVICE_AUTHORIZATION: 'SIGN token="saml-token-secret-99"', VELOSTRATA_PASSWORD: 'pw-secret-77' });
    const stream = redactingStream(io.stdout, new Redactor(['pw-secret-77', 'saml-token-secret-99']));
    stream.write('echoed: pw-secret-77 and token saml-token-secret-99\n');
    expect(io.stdout.text()).toBe('echoed: [REDACTED] and token [REDACTED]\n');
    expect(stream.isTTY).toBe(io.stdout.isTTY);
  });
});

describe('notes on a terminal', () => {
  it('are wrapped between words to its width, not broken inside a name by the terminal', async () => {
    const env = { VELOSTRATA_URL: 'http://127.0.0.1:9/velostrata/api/v42', VELOSTRATA_PASSWORD: 'pw' };
    const io = fakeIO(
      { ...env, SNAPSERVICE_URL: 'http://127.0.0.1:9', SNAPSERVICE_SESSION_ID: 's', NO_COLOR: '1' },
      { columns: 80, rows: 24 },
    );
    // Stops before any request: only the configuration's notes are written.
    const stop = new AbortController();
    stop.abort('SIGINT');
    await main(['tasks', '--verbose'], io, stop.signal);
    const lines = io.stderr.text().trimEnd().split('\n');
    const skipped = lines.findIndex((line) => line.startsWith('note: snapservice skipped'));
    const noteLines = [lines[skipped]!, ...lines.slice(skipped + 1).filter((line) => line.startsWith('  '))];
    expect(noteLines.length).toBeGreaterThan(1);
    for (const line of noteLines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(noteLines.map((line) => line.trim()).join(' ')).toBe(
      'note: snapservice skipped: it lists tasks only of given tasks or services: pass --task ID or --service NAME (each repeatable), or set SNAPSERVICE_SERVICES=NAME[,NAME…]',
    );
  });
});
