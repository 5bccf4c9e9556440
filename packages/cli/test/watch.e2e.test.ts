// `vmtasks watch`, `tasks` and `simulate` end to end: the real binary against the simulator.
import { spawn } from 'node:child_process';
import { exportLines } from '@vmtasks/simulator';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, printed, runVmtasks } from './run.js';
import { BIN } from './terminal.js';
import { envFor, simulators } from './wave.js';

const ESC = '\u001b';
const sims = simulators();
const wave = (speed: number): Promise<Record<string, string>> => sims.wave(speed);

interface EventRecord {
  type: string;
  api: string;
  snapshot?: { id: string; state: string };
}

describe('vmtasks watch', () => {
  it('--json --until-done prints parseable NDJSON covering a whole wave, and exits 1 because some tasks failed', async () => {
    // The wave takes ~15 s at 60×: long enough that the watch starts while tasks are running,
    // however slowly this machine starts a process.
    const env = await wave(60);
    const result = await runVmtasks(['watch', '--json', '--until-done', '--interval', '100ms'], env);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EventRecord);
    const types = new Set(events.map((e) => e.type));
    expect(types).toContain('appeared');
    expect(types).toContain('finished');
    for (const type of types) expect(['appeared', 'changed', 'finished', 'disappeared', 'transient-failure']).toContain(type);
    // Every task seen was seen to its end, on both APIs.
    const final = new Map<string, string>();
    for (const event of events) if (event.snapshot) final.set(`${event.api}/${event.snapshot.id}`, event.snapshot.state);
    const finishedIds = new Set(events.filter((e) => e.type === 'finished').map((e) => `${e.api}/${e.snapshot!.id}`));
    expect([...final.keys()].filter((key) => !finishedIds.has(key))).toEqual([]);
    expect(new Set([...final.keys()].map((key) => key.split('/')[0]))).toEqual(new Set(['velostrata', 'snapservice']));
    const states = [...final.values()];
    expect(states).toContain('succeeded');
    expect(states).toContain('failed');
    expect(states).toContain('cancelled');
    // Everything the appliances list at the end was in the stream.
    for (const task of sims.current.velostrata.tasks()) expect(final.has(`velostrata/${task.id?.value}`), task.id?.value).toBe(true);
    for (const item of sims.current.snapservice.tasks()) expect(final.has(`snapservice/${item.task}`), item.task).toBe(true);
    expect(result.code).toBe(1);
  });

  it('not on a terminal: one plain line per change and no escape codes; trouble is a note and watching goes on', async () => {
    const env = await wave(100);
    const running = runVmtasks(['watch', '--until-done', '--interval', '100ms'], env);
    // Once Velostrata has answered (before that, 503s mean it cannot be reached: exit 4).
    await printed(running, 'stdout', / velostrata /);
    sims.current.velostrata.injectFault({ kind: 'unavailable' }, 5);
    const result = await running;
    expect(result.stdout + result.stderr).not.toContain(ESC);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines)
      expect(line).toMatch(
        /^\d\d:\d\d:\d\dZ (velostrata|snapservice) \S+ .*: (pending|running|blocked|cancelling|failing|succeeded|failed|cancelled|no longer listed)/,
      );
    expect(result.stderr).toMatch(/velostrata: HTTP 503: .* · retrying in \d+s \(failure 1\)/);
    expect(result.stderr).toMatch(/✗ velostrata \S+ .*: failed/);
    expect(result.code).toBe(1);
  });

  it('FORCE_COLOR colours plain lines; NO_COLOR wins over it', async () => {
    const env = await wave(50);
    const forced = runVmtasks(['watch'], { ...env, FORCE_COLOR: '1' });
    await printed(forced, 'stdout', /\n/);
    forced.child.kill('SIGTERM');
    expect((await forced).stdout).toContain(`${ESC}[`);
    const plain = runVmtasks(['watch'], { ...env, FORCE_COLOR: '1', NO_COLOR: '1' });
    await printed(plain, 'stdout', /\n/);
    plain.child.kill('SIGTERM');
    expect((await plain).stdout).not.toContain(ESC);
  });

  it('exits 3 when the appliance refuses the credentials', async () => {
    const env = await wave(1);
    // A fixed session id is used only without a login (SNAPSERVICE_USERNAME/PASSWORD win: they renew).
    const result = await runVmtasks(['watch', '--api', 'snapservice'], {
      ...env,
      SNAPSERVICE_USERNAME: undefined,
      SNAPSERVICE_PASSWORD: undefined,
      SNAPSERVICE_SESSION_ID: 'expired-session-0815',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('snapservice refused the credentials (HTTP 401)');
    expect(result.stdout + result.stderr).not.toContain('expired-session-0815');
  });

  it('SIGTERM ends it cleanly with status 143', async () => {
    const env = await wave(50);
    const running = runVmtasks(['watch', '--interval', '100ms'], env);
    await printed(running, 'stdout', /running/);
    running.child.kill('SIGTERM');
    const result = await running;
    expect(result.code).toBe(143);
    expect(result.stderr).toBe('');
  });

  it('a reader that goes away (| head) is not an error', async () => {
    const env = await wave(50);
    const script = `"${process.execPath}" "${BIN}" watch --interval 100ms | head -n 2; echo "vmtasks exited $\{PIPESTATUS[0]}" >&2`;
    const child = spawn('bash', ['-c', script], { env: isolatedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise((resolve) => child.on('close', resolve));
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toBe('vmtasks exited 0\n');
  });

  it('--api snapservice without tasks or services exits 2 saying what to pass; --api all lists Velostrata and notes it', async () => {
    const { SNAPSERVICE_SERVICES: _, ...env } = await wave(1);
    const only = await runVmtasks(['watch', '--api', 'snapservice'], env);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('pass --task ID or --service NAME (each repeatable), or set SNAPSERVICE_SERVICES');
    const all = await runVmtasks(['tasks'], env);
    expect(all.code).toBe(0);
    expect(all.stderr).toContain('note: snapservice skipped: it lists tasks only of given tasks or services');
    expect(all.stdout).toMatch(/task-1001/);
  });
});

describe('vmtasks tasks', () => {
  it('prints a table, or the snapshots as JSON', async () => {
    const sim = await sims.start({ clock: 'manual', seed: 5 });
    await sim.advance(120_000);
    const env = envFor(sim);
    const json = await runVmtasks(['tasks', '--json'], env);
    expect(json.code).toBe(0);
    const snapshots = JSON.parse(json.stdout) as { api: string; id: string; state: string }[];
    expect(
      snapshots
        .filter((s) => s.api === 'velostrata')
        .map((s) => s.id)
        .sort(),
    ).toEqual(
      sim.velostrata
        .tasks()
        .map((t) => t.id?.value)
        .sort(),
    );
    expect(
      snapshots
        .filter((s) => s.api === 'snapservice')
        .map((s) => s.id)
        .sort(),
    ).toEqual(
      sim.snapservice
        .tasks()
        .map((t) => t.task)
        .sort(),
    );
    const table = await runVmtasks(['tasks'], env);
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header).toMatch(/ID +API +KIND +TARGET +DONE +STATE +AGE/);
    expect(rows).toHaveLength(snapshots.length);
    expect(table.stdout).not.toContain(ESC);
    // snapservice filters reach the appliance: fields AND, values OR.
    const filtered = await runVmtasks(['tasks', '--api', 'snapservice', '--status', 'RUNNING', '--status', 'PENDING', '--json'], env);
    const expected = sim.snapservice.tasks().filter((item) => item.info.status === 'RUNNING' || item.info.status === 'PENDING');
    expect(expected.length).toBeGreaterThan(0);
    expect((JSON.parse(filtered.stdout) as { id: string }[]).map((s) => s.id).sort()).toEqual(expected.map((item) => item.task).sort());
  });
});

describe('vmtasks simulate', () => {
  it('prints export lines that a second vmtasks can use, and stops on Ctrl-C', async () => {
    const simulate = runVmtasks(['simulate', '--speed', '20'], {});
    const exports = await printed(simulate, 'stdout', /SNAPSERVICE_SERVICES=.*\n/);
    const env = Object.fromEntries([...exports.matchAll(/(\w+)='([^']*)'/g)].map((match) => [match[1]!, match[2]!]));
    // Exactly the lines `npm run simulate` prints (one piece of code: the simulator's exportLines).
    expect(exports).toBe(exportLines({ env: () => env }));
    expect(exports.split('\n')).toHaveLength(3);
    // The login `vmtasks` uses (and logs out of); the password is the simulator's own, printed on purpose.
    expect(env['SNAPSERVICE_USERNAME']).toBeTruthy();
    expect(env['SNAPSERVICE_PASSWORD']).toBeTruthy();
    const listed = await runVmtasks(['tasks'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/velostrata/);
    expect(listed.stdout).toMatch(/snapservice/);
    simulate.child.kill('SIGINT');
    expect((await simulate).code).toBe(130);
    await expect(fetch(`${env['VELOSTRATA_URL']}/tasks`)).rejects.toThrow();
  });
});
