// Every command across a fleet config's appliances (several simulators on 127.0.0.1): the same task
// id on two appliances stays two rows; one appliance down or refusing the credentials is said while
// the others go on, and the exit status says so; no secret is ever printed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulatorFleet, type SimulatedVelostrata, type SimulatorFleet } from '@vmtasks/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/fake-io.js';

let fleet: SimulatorFleet;
let dir: string;
let deadUrl: string;
let dropping: Server | undefined;
const done = [{ state: 'Succeeded' as const, progress: 100 }];
const fast = ['--interval', '100ms'];

/** A URL on 127.0.0.1 whose server drops every connection unanswered (held for the whole file: no other test can take its port). */
async function droppingServer(): Promise<string> {
  dropping = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => dropping!.listen(0, '127.0.0.1', resolve));
  const { port } = dropping.address() as { port: number };
  return `http://127.0.0.1:${port}/velostrata/api/v42`;
}

const velostrata = (name: string): SimulatedVelostrata =>
  fleet.appliances.find((appliance) => appliance.name === name)!.controls as SimulatedVelostrata;

/** The fleet's config with `extra` appliances appended to the `simulated` context; returns the file. */
function config(extra = ''): string {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, fleet.configYaml() + extra);
  return file;
}

const dead = (): string => `      - name: dead-1
        api: velostrata
        url: ${deadUrl}
        secret: { env: DEAD_SECRET }
`;
const wrong = (): string => `      - name: wrong-1
        api: velostrata
        url: ${velostrata('velostrata-2').url}
        secret: { env: WRONG_SECRET }
`;
const env = (): Record<string, string> => ({ ...fleet.env(), DEAD_SECRET: 'dead-secret-771', WRONG_SECRET: 'wrong-secret-772' });
const secrets = (): string[] => Object.values(env());

function expectNoSecret(result: { stdout: string; stderr: string }): void {
  for (const secret of secrets()) expect(result.stdout + result.stderr).not.toContain(secret);
}

beforeAll(async () => {
  fleet = await startSimulatorFleet({ count: 4, clock: 'manual', scenario: 'empty' });
  dir = mkdtempSync(path.join(tmpdir(), 'vmtasks-fleet-'));
  deadUrl = await droppingServer();
  // The same id on two appliances of one API, and ids only one of them has.
  velostrata('velostrata-1').addTask({ id: 'task-1', steps: done });
  velostrata('velostrata-2').addTask({ id: 'task-1', steps: done });
  velostrata('velostrata-2').addTask({ id: 'only-2', steps: done });
});
afterAll(async () => {
  dropping?.close();
  await fleet.close();
});

describe('vmtasks across a fleet config', () => {
  it('tasks: a row per appliance and task, named by appliance; --json stamps each task with its appliance', async () => {
    const file = config();
    const table = await runMain(['tasks', '--config', file], env());
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n').filter((line) => line.includes('task-1'));
    expect(rows).toHaveLength(2);
    expect(rows.some((row) => row.includes('velostrata-1'))).toBe(true);
    expect(rows.some((row) => row.includes('velostrata-2'))).toBe(true);
    const json = await runMain(['tasks', '--config', file, '--json'], env());
    const tasks = JSON.parse(json.stdout) as { id: string; api: string; appliance: string }[];
    expect(tasks.filter((task) => task.id === 'task-1').map((task) => [task.appliance, task.api])).toEqual([
      ['velostrata-1', 'velostrata'],
      ['velostrata-2', 'velostrata'],
    ]);
    expectNoSecret(table);
    expectNoSecret(json);
  });

  it('tasks: an appliance that is down is said, the others still listed, exit 4; one refusing the credentials, exit 3', async () => {
    const down = await runMain(['tasks', '--config', config(dead()), '--verbose'], env());
    expect(down.stdout).toContain('only-2');
    expect(down.stderr).toMatch(/error: cannot reach dead-1 at 127\.0\.0\.1:\d+/);
    expect(down.code).toBe(4);
    expectNoSecret(down);
    const refused = await runMain(['tasks', '--config', config(wrong())], env());
    expect(refused.stdout).toContain('only-2');
    expect(refused.stderr).toContain('error: wrong-1: velostrata refused the credentials (HTTP 401)');
    expect(refused.code).toBe(3);
    expectNoSecret(refused);
  });

  it('watch --json --until-done: an appliance-down event for the dead one, the others watched to the end, exit 4', async () => {
    const result = await runMain(['watch', '--config', config(dead()), '--json', '--until-done', ...fast], env());
    const records = result.stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { type: string; appliance?: string; snapshot?: { id: string; appliance: string }; exitCode?: number },
      );
    expect(records.filter((record) => record.type === 'appliance-down')).toEqual([
      expect.objectContaining({ appliance: 'dead-1', api: 'velostrata', exitCode: 4 }),
    ]);
    const seen = records.flatMap((record) => (record.snapshot ? [`${record.snapshot.appliance} ${record.snapshot.id}`] : []));
    expect(seen).toEqual(expect.arrayContaining(['velostrata-1 task-1', 'velostrata-2 task-1', 'velostrata-2 only-2']));
    // Each event record names its API and its appliance.
    expect(records.filter((record) => record.type === 'appeared').every((record) => record.appliance === record.snapshot!.appliance)).toBe(
      true,
    );
    expect(result.code).toBe(4);
    expectNoSecret(result);
  });

  it('wait, show and cancel find the appliance that has the task while another is down; an id on two appliances is ambiguous', async () => {
    const file = config(dead());
    velostrata('velostrata-2').addTask({ id: 'long-2', steps: [{ state: 'Running', progress: 10 }] });
    const waited = await runMain(['wait', 'only-2', ...fast], { ...env(), VMTASKS_CONFIG: file });
    expect(waited.stderr).toContain('✓ task only-2 succeeded');
    expect(waited.code).toBe(0);
    const shown = await runMain(['show', 'only-2', '--config', file, '--json'], env());
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ snapshot: { id: 'only-2', appliance: 'velostrata-2' } });
    const cancelled = await runMain(['cancel', 'long-2', '--config', file], env());
    expect(cancelled.stderr).toContain('cancelling long-2');
    expect(cancelled.code).toBe(0);
    const ambiguous = await runMain(['show', 'task-1', '--config', config()], env());
    expect(ambiguous.stderr).toContain('task task-1 is listed by velostrata-1 and velostrata-2');
    expect(ambiguous.code).toBe(2);
    // Not on any appliance that answered: the dead one's error, not "not listed".
    const missing = await runMain(['show', 'nowhere', '--config', file], env());
    expect(missing.stderr).toMatch(/cannot reach dead-1/);
    expect(missing.code).toBe(4);
    for (const result of [waited, shown, cancelled, ambiguous, missing]) expectNoSecret(result);
  });
});
