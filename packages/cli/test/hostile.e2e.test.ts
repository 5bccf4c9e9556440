// vmtasks against a hostile Velostrata Manager: task fields full of escape sequences, a server
// that echoes the Basic credential, answers with fields of the wrong type. The real binary in a
// real pseudo-terminal (util-linux `script`), and in-process with its output captured as a pipe
// would get it; what reaches the terminal is checked byte by byte.
import { realClock } from '@vmtasks/core';
import { describe, expect, it } from 'vitest';
import { BASIC, hostileServers, page, PASSWORD, velostrataTask } from './hostile-server.js';
import { runInProcess, type Outcome } from './in-process.js';
import { runInTerminal, type TerminalSession } from './terminal.js';

const { serve } = hostileServers();
const VELOSTRATA = ['--api', 'velostrata'];
const FAST = ['--interval', '100ms'];

// Each sequence a server might send, and the way it must show instead.
const CLIPBOARD = '\u001b]52;c;SDJQV05FRA==\u0007';
const ASK_REPLY = '\u001b[6n';
const LINK = '\u001b]8;;http://evil.example/\u001b\\here\u001b]8;;\u001b\\';
const hostile = velostrataTask({
  taskType: `Full${CLIPBOARD}Migration`,
  entity: { value: 'vm\u009b31m\u202eevil', _type: 'VmId' },
  progressMessage: [`see ${LINK} ${ASK_REPLY}x\r SPOOF\b\b`],
  username: 'u\u2066ser',
});
const hostileId = velostrataTask({ id: { value: `H2\u001b[2J${CLIPBOARD}\r SPOOF`, _type: 'TaskId' } });
const failedHostile = { ...hostile, state: 'Failed', errorMessage: [`disk lost ${CLIPBOARD}\r OK\u009b2J`] };

/** What a server sent that must never reach a terminal raw (vmtasks' own colours and cursor moves are CSI ... m/A/K/G/?25). */
const RAW_FROM_SERVER: readonly RegExp[] = [
  /\u001b\]/, // OSC: clipboard, links, titles
  /\u001b\[6n/,
  /\u001b\[2J/,
  /\u0007/,
  /\u0008/,
  /\r SPOOF|\r OK/,
  /[\u0080-\u009f]/,
  /[\u202a-\u202e\u2066-\u2069]/,
];
/** In a pipe vmtasks writes no escape codes of its own: no control character at all but newlines. */
const ANY_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectNothingRaw(output: string, where: string): void {
  for (const pattern of RAW_FROM_SERVER) expect(pattern.test(output), `${where}: ${pattern} in ${JSON.stringify(output)}`).toBe(false);
}

function expectNoUnsafe(result: Outcome, where: string): void {
  for (const stream of ['stdout', 'stderr'] as const)
    expect(ANY_UNSAFE.test(result[stream]), `${where} ${stream}: ${JSON.stringify(result[stream])}`).toBe(false);
}

/** Every 8-character piece of the Basic credential, and the password: none may show anywhere. */
function expectNoCredential(output: string, where: string): void {
  expect(output, where).not.toContain(PASSWORD);
  for (let start = 0; start + 8 <= BASIC.length; start++) expect(output, where).not.toContain(BASIC.slice(start, start + 8));
}

/** `vmtasks args` in-process on real time (the server has no clock), its output captured as a pipe would get it. */
const runVmtasks = (args: readonly string[], env: Record<string, string>): Promise<Outcome> => runInProcess(args, env, realClock).finished;

async function inTerminal(args: string[], env: Record<string, string>, columns: number, use: (t: TerminalSession) => Promise<void>) {
  const terminal = runInTerminal(args, { env: { ...env, NO_COLOR: '1' }, columns, rows: 20 });
  try {
    await use(terminal);
  } finally {
    terminal.kill();
  }
}

describe('escape sequences from a server, in a real terminal', () => {
  it('tasks: shown made visible, none raw', async () => {
    const env = await serve(() => page(hostile, hostileId));
    await inTerminal(['tasks', ...VELOSTRATA], env, 200, async (terminal) => {
      expect(await terminal.exited).toBe(0);
      expectNothingRaw(terminal.raw(), 'tasks');
      // Cut to each column's width, like any text.
      const screen = terminal.screen().join('\n');
      expect(screen).toContain('Full^[]52;c;SDJQV05FRA');
      expect(screen).toContain('vm<U+009B>31m<U+202E>evil');
      expect(screen).toContain('H2^[[2J^[]52;c;SDJQV05FRA==^G^M');
      expect(screen).toContain('see ^[]8;;http://evil.example/^[\\here^[]8;;^[\\');
    });
  });

  it('watch: the live view shows them made visible, none raw, and fits the width with them', async () => {
    const env = await serve(() => page(hostile, hostileId));
    await inTerminal(['watch', ...VELOSTRATA, ...FAST], env, 100, async (terminal) => {
      const screen = await terminal.waitFor((text) => text.includes('vm<U+009B>31m') && text.includes('H2^[[2J'));
      for (const line of screen.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
      terminal.type('\u0003');
      expect(await terminal.exited).toBe(130);
      expectNothingRaw(terminal.raw(), 'watch');
    });
  });

  it('wait: the live view and the line saying why it failed', async () => {
    let failed = false;
    const env = await serve(() => page(failed ? failedHostile : hostile));
    await inTerminal(['wait', 'task-1', ...VELOSTRATA, ...FAST], env, 120, async (terminal) => {
      await terminal.waitFor((text) => text.includes('Full^[]52;c;') && text.includes('<U+202E>evil'));
      failed = true;
      expect(await terminal.exited).toBe(1);
      expectNothingRaw(terminal.raw(), 'wait');
      expect(terminal.screen().join('\n')).toContain('error: Task task-1 failed: disk lost \\x1b]52;c;SDJQV05FRA==\\x07\\r OK\\u009b2J');
    });
  });
});

describe('escape sequences from a server, in pipes', () => {
  it('tasks, watch and wait lines show them made visible; --json escapes them and keeps the values exact', async () => {
    const env = await serve(() => page(failedHostile, { ...hostileId, state: 'Succeeded' }));
    const table = await runVmtasks(['tasks', ...VELOSTRATA], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Full^[]52;c;SDJQV05FRA==^GMigration');
    const lines = await runVmtasks(['watch', '--until-done', ...VELOSTRATA, ...FAST], env);
    expect(lines.code).toBe(1);
    expect(lines.stdout).toContain('H2^[[2J^[]52;c;SDJQV05FRA==^G^M SPOOF');
    const waited = await runVmtasks(['wait', 'task-1', ...VELOSTRATA, ...FAST], env);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toContain('error: Task task-1 failed: disk lost \\x1b]52;c;SDJQV05FRA==\\x07\\r OK\\u009b2J');
    const json = await runVmtasks(['tasks', '--json', ...VELOSTRATA], env);
    const events = await runVmtasks(['watch', '--until-done', '--json', ...VELOSTRATA, ...FAST], env);
    for (const [name, result] of Object.entries({ table, lines, waited, json, events })) expectNoUnsafe(result, name);
    const listed = JSON.parse(json.stdout) as { id: string; kind: string; target: string; user: string }[];
    expect(listed.map((task) => task.id).sort()).toEqual([`H2\u001b[2J${CLIPBOARD}\r SPOOF`, 'task-1']);
    expect(listed.find((task) => task.id === 'task-1')).toMatchObject({
      kind: `Full${CLIPBOARD}Migration`,
      target: 'vm\u009b31m\u202eevil',
      user: 'u\u2066ser',
    });
    expect(json.stdout).toContain('vm\\u009b31m\\u202eevil');
    const records = events.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { snapshot: { kind?: string } });
    expect(records.map((record) => record.snapshot.kind)).toContain(`Full${CLIPBOARD}Migration`);
  }, 120_000);
});

describe('a server that echoes the Basic credential', () => {
  const echoing = velostrataTask({
    taskType: `Basic ${BASIC}`,
    state: 'Failed',
    progressMessage: [`auth was ${BASIC}`],
    errorMessage: [`rejected Authorization: Basic ${BASIC} for this request, please check it`],
  });

  it('never shows it, cut or whole: the table at 80 and 140 columns, the live view, lines, JSON, wait and error lines', async () => {
    let answer = 0;
    const env = await serve(() => {
      answer++;
      // Now and then a transient 503 and a 400 that echo it too.
      if (answer % 7 === 3) return { status: 503, body: { message: `busy, Basic ${BASIC}` } };
      return page(echoing, velostrataTask({ id: { value: BASIC, _type: 'TaskId' }, username: BASIC, state: 'Succeeded' }));
    });
    for (const columns of [80, 140]) {
      await inTerminal(['tasks', ...VELOSTRATA], env, columns, async (terminal) => {
        expect(await terminal.exited).toBe(0);
        expect(terminal.screen().join('\n')).toContain('[REDACTED]');
        expectNoCredential(terminal.raw(), `tasks at ${columns} columns`);
      });
    }
    await inTerminal(['watch', ...VELOSTRATA, ...FAST], env, 140, async (terminal) => {
      await terminal.waitFor((text) => text.includes('rejected Authorization: [REDACTED]'));
      terminal.type('\u0003');
      expect(await terminal.exited).toBe(130);
      expectNoCredential(terminal.raw(), 'watch');
    });
    const outputs = await Promise.all([
      runVmtasks(['tasks', '--json', ...VELOSTRATA], env),
      runVmtasks(['watch', '--until-done', ...VELOSTRATA, ...FAST], env),
      runVmtasks(['watch', '--until-done', '--json', ...VELOSTRATA, ...FAST], env),
      runVmtasks(['wait', 'task-1', ...VELOSTRATA, ...FAST], env),
    ]);
    for (const result of outputs) expectNoCredential(result.stdout + result.stderr, result.stdout.slice(0, 200));
    expect(outputs[3]?.stderr).toContain('error: Task task-1 failed: rejected Authorization: [REDACTED] for this request');
    const refused = await serve(() => ({ status: 400, body: { message: `bad request, Basic ${BASIC}` } }));
    const error = await runVmtasks(['tasks', ...VELOSTRATA], refused);
    expect(error.stderr).toContain('error: velostrata: bad request, [REDACTED]');
    expectNoCredential(error.stdout + error.stderr, 'error line');
  }, 180_000);
});

describe('an answer with fields of the wrong type', () => {
  const WRONG = [{ progress: 'x' }, { state: 5 }, { id: { value: 7 } }, { progressMessage: {} }];
  const ONE_LINE = /^error: velostrata at 127\.0\.0\.1:\d+: the answer did not match the API \((getActiveTasks|getTask): HTTP 200 .*\)\n$/;

  it('tasks and wait: one clear line and exit 5', async () => {
    // Each request gets the next wrong answer; the runs overlap, and every answer is served.
    const answers = [...WRONG.map((wrong) => page(velostrataTask(wrong))), { body: { content: {} } }];
    const served = new Set<number>();
    const env = await serve((request) => {
      served.add(request % answers.length);
      return answers[request % answers.length]!;
    });
    const runs = [...answers.map(() => ['tasks']), ['tasks', '--json'], ['wait', 'task-1', ...FAST]];
    const results = await Promise.all(runs.map((args) => runVmtasks([...args, ...VELOSTRATA], env)));
    expect(served.size).toBe(answers.length);
    results.forEach((result, i) => {
      // --json still prints the (empty) list of what the APIs that answered listed.
      const stdout = runs[i]!.includes('--json') ? '[]\n' : '';
      expect({ code: result.code, stdout: result.stdout }, runs[i]!.join(' ')).toEqual({ code: 5, stdout });
      expect(result.stderr).toMatch(ONE_LINE);
    });
  }, 120_000);

  it('watch: the live view ends with that line, exit 5, the cursor restored', async () => {
    let broken = false;
    const env = await serve(() => page(velostrataTask(broken ? { progress: 'x', taskType: 42 } : {})));
    await inTerminal(['watch', ...VELOSTRATA, ...FAST], env, 100, async (terminal) => {
      await terminal.waitFor((text) => /^● +task-1 /m.test(text));
      broken = true;
      expect(await terminal.exited).toBe(5);
      const raw = terminal.raw();
      expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(raw.lastIndexOf('\u001b[?25l'));
      expect(raw).not.toContain('TypeError');
      expect(terminal.screen().join('\n')).toMatch(/^error: velostrata at 127\.0\.0\.1:\d+: the answer did not match the API/m);
    });
    const json = await runVmtasks(['watch', '--json', ...VELOSTRATA, ...FAST], env);
    expect(json.code).toBe(5);
    expect(json.stderr).toMatch(ONE_LINE);
  });
});
