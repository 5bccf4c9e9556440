// `vmtasks watch` and `tasks` in-process, on a clock in lockstep with the simulator's manual
// clock: a whole wave runs in as many polls as it takes, however slow the machine.
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { lockstepSimulators } from './lockstep-sim.js';
import { envFor, RETAIN_FINISHED_MS } from './wave.js';

const ESC = '\u001b';
const sims = lockstepSimulators();
/** The built-in wave (both APIs), seeded; finished tasks stay listed. */
const wave = () => sims.start({ seed: 3, retentionMs: RETAIN_FINISHED_MS });
/**
 * Waiting costs no real time on the lockstep clock, polls do: a whole wave is followed in
 * 30-second polls (a simulated quarter of an hour, some thirty polls per API).
 */
const SPARSE = ['--interval', '30s'];
/** One poller per API: the clocks move only while both wait. */
const BOTH_APIS = 2;

interface EventRecord {
  type: string;
  api: string;
  snapshot?: { id: string; state: string };
}

describe('vmtasks watch', () => {
  it('--json --until-done prints parseable NDJSON covering a whole wave, and exits 1 because some tasks failed', async () => {
    const { sim, clock } = await wave();
    const run = runInProcess(['watch', '--json', '--until-done', ...SPARSE], envFor(sim), clock);
    const result = await clock.runUntil(run.finished, BOTH_APIS);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EventRecord);
    const types = new Set(events.map((e) => e.type));
    expect(types).toContain('appeared');
    expect(types).toContain('changed');
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
    for (const task of sim.velostrata.tasks()) expect(final.has(`velostrata/${task.id?.value}`), task.id?.value).toBe(true);
    for (const item of sim.snapservice.tasks()) expect(final.has(`snapservice/${item.task}`), item.task).toBe(true);
    expect(result.code).toBe(1);
  });

  it('not on a terminal: one plain line per change and no escape codes; trouble is a note and watching goes on', async () => {
    const { sim, clock } = await wave();
    const run = runInProcess(['watch', '--until-done', ...SPARSE], envFor(sim), clock);
    // Once Velostrata has answered (before that, 503s mean it cannot be reached: exit 4).
    await clock.until(BOTH_APIS, run.finished);
    expect(run.text('stdout')).toMatch(/ velostrata /);
    // Stamped with the clock's time: the simulator's start, 09:00:00Z, not the machine's.
    expect(run.text('stdout')).toMatch(/^09:00:00Z /);
    sim.velostrata.injectFault({ kind: 'unavailable' }, 5);
    const result = await clock.runUntil(run.finished, BOTH_APIS);
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
    const { sim, clock } = await wave();
    const forced = runInProcess(['watch'], { ...envFor(sim), FORCE_COLOR: '1' }, clock);
    await forced.printed('stdout', /\n/);
    forced.stop('SIGTERM');
    expect((await forced.finished).stdout).toContain(`${ESC}[`);
    const plain = runInProcess(['watch'], { ...envFor(sim), FORCE_COLOR: '1', NO_COLOR: '1' }, clock);
    await plain.printed('stdout', /\n/);
    plain.stop('SIGTERM');
    const result = await plain.finished;
    expect(result.stdout).toMatch(/\n/);
    expect(result.stdout).not.toContain(ESC);
    expect(result.code).toBe(143);
  });

  it('exits 3 when the appliance refuses the credentials', async () => {
    const { sim, clock } = await wave();
    // A fixed session id is used only without a login (SNAPSERVICE_USERNAME/PASSWORD win: they renew).
    const run = runInProcess(
      ['watch', '--api', 'snapservice'],
      { ...envFor(sim), SNAPSERVICE_USERNAME: undefined, SNAPSERVICE_PASSWORD: undefined, SNAPSERVICE_SESSION_ID: 'expired-session-0815' },
      clock,
    );
    const result = await run.finished;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('snapservice refused the credentials (HTTP 401)');
    expect(result.stdout + result.stderr).not.toContain('expired-session-0815');
  });

  it('--api snapservice without tasks or services exits 2 saying what to pass; --api all lists Velostrata and notes it', async () => {
    const { sim, clock } = await wave();
    const { SNAPSERVICE_SERVICES: _, ...env } = envFor(sim);
    const only = await runInProcess(['watch', '--api', 'snapservice'], env, clock).finished;
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('pass --task ID or --service NAME (each repeatable), or set SNAPSERVICE_SERVICES');
    const all = await runInProcess(['tasks'], env, clock).finished;
    expect(all.code).toBe(0);
    expect(all.stderr).toContain('note: snapservice skipped: it lists tasks only of given tasks or services');
    expect(all.stdout).toMatch(/task-1001/);
  });
});

describe('vmtasks tasks', () => {
  it('prints a table, or the snapshots as JSON', async () => {
    const { sim, clock } = await sims.start({ seed: 5 });
    await clock.advance(120_000);
    const env = envFor(sim);
    const json = await runInProcess(['tasks', '--json'], env, clock).finished;
    expect(json.code).toBe(0);
    const snapshots = JSON.parse(json.stdout) as { api: string; id: string; state: string }[];
    const ids = (api: string): string[] =>
      snapshots
        .filter((s) => s.api === api)
        .map((s) => s.id)
        .sort();
    expect(ids('velostrata')).toEqual(
      sim.velostrata
        .tasks()
        .map((t) => t.id?.value)
        .sort(),
    );
    expect(ids('snapservice')).toEqual(
      sim.snapservice
        .tasks()
        .map((t) => t.task)
        .sort(),
    );
    const table = await runInProcess(['tasks'], env, clock).finished;
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header).toMatch(/ID +API +KIND +TARGET +DONE +STATE +AGE/);
    expect(rows).toHaveLength(snapshots.length);
    expect(table.stdout).not.toContain(ESC);
    // snapservice filters reach the appliance: fields AND, values OR.
    const filtered = await runInProcess(
      ['tasks', '--api', 'snapservice', '--status', 'RUNNING', '--status', 'PENDING', '--json'],
      env,
      clock,
    ).finished;
    const expected = sim.snapservice.tasks().filter((item) => item.info.status === 'RUNNING' || item.info.status === 'PENDING');
    expect(expected.length).toBeGreaterThan(0);
    expect((JSON.parse(filtered.stdout) as { id: string }[]).map((s) => s.id).sort()).toEqual(expected.map((item) => item.task).sort());
  });
});
