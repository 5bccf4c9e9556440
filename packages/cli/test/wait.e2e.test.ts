// `vmtasks wait` end to end: the real binary against the simulator on a sped-up clock.
import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printed, runVmtasks } from './run.js';
import { RETAIN_FINISHED_MS } from './wave.js';

const SPEED = 100; // simulated ms per real ms: a step of 20 simulated seconds takes 0.2 s
let sim: Simulator;
let env: Record<string, string>;

beforeAll(async () => {
  // Velostrata lists a finished task for retentionMs (default 5 simulated minutes: 3 s here). Under
  // stress-ng --cpu 16, `vmtasks` took longer than that to start: a task that succeeded and left
  // the list before its first poll is one nobody can find.
  sim = await startSimulator({ clock: { speed: SPEED }, scenario: 'empty', retentionMs: RETAIN_FINISHED_MS });
  env = sim.env();
});
afterAll(() => sim?.stop());

const fast = ['--interval', '100ms'];

describe('vmtasks wait', () => {
  it('exits 0 when the task succeeded, showing each step of its progress', async () => {
    // A manual clock: each step happens only once the previous one has been printed.
    const manual = await startSimulator({ clock: 'manual', scenario: 'empty' });
    try {
      const id = manual.velostrata.addTask({
        taskType: 'FullMigration',
        steps: [
          { state: 'Running', progress: 10, message: 'Starting' },
          { afterMs: 20_000, state: 'Running', progress: 60, message: 'Replicating disk' },
          { afterMs: 20_000, state: 'Succeeded', progress: 100 },
        ],
      });
      const waiting = runVmtasks(['wait', id, ...fast], manual.env());
      await printed(waiting, 'stdout', new RegExp(`velostrata ${id} FullMigration vm-\\d+: running 10% · Starting\n`));
      await manual.advance(20_000);
      await printed(waiting, 'stdout', /: running 60% · Replicating disk\n/);
      await manual.advance(20_000);
      const result = await waiting;
      expect(result.stdout).toMatch(/: succeeded in 40s/);
      expect(result.stderr).toBe(`✓ task ${id} succeeded\n`);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain('\u001b');
    } finally {
      await manual.stop();
    }
  });

  it('exits 1 when the task failed, saying which and why', async () => {
    const id = sim.snapservice.addTask({
      steps: [
        { status: 'RUNNING', progress: 30 },
        {
          afterMs: 20_000,
          status: 'FAILED',
          error: {
            error_type: 'RESOURCE_INACCESSIBLE',
            messages: [{ id: 'e', default_message: 'Datastore ds-7 is not reachable', args: [] }],
          },
        },
      ],
    });
    const result = await runVmtasks(['wait', id, '--api', 'snapservice', ...fast], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(id);
    expect(result.stderr).toContain('Datastore ds-7 is not reachable');
  });

  it('exits 1 when the task was cancelled', async () => {
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 20 },
        { afterMs: 10_000, state: 'Cancelling', progress: 20 },
        { afterMs: 10_000, state: 'Cancelled', progress: 20 },
      ],
    });
    const result = await runVmtasks(['wait', id, ...fast], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${id}.*cancelled`, 'i'));
  });

  it('exits 124 on --timeout (a bare number is seconds), naming the task still going', async () => {
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 5 },
        { afterMs: 36_000_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const result = await runVmtasks(['wait', id, '--timeout', '1', ...fast], env);
    expect(result.code).toBe(124);
    expect(result.stderr).toContain(id);
    expect(result.stderr).toContain('did not finish within 1000 ms');
  });

  it('exits 3 when the appliance refuses the credentials, without printing them', async () => {
    const wrong = 'not-the-subscription-id-4711';
    const result = await runVmtasks(['wait', 'task-1', '--api', 'velostrata'], { ...env, VELOSTRATA_PASSWORD: wrong });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('velostrata refused the credentials (HTTP 401)');
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('waits for tasks of both APIs at once, finding which API lists each', async () => {
    const velostrata = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 50 },
        { afterMs: 20_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const snapservice = sim.snapservice.addTask({
      steps: [
        { status: 'RUNNING', progress: 50 },
        { afterMs: 30_000, status: 'SUCCEEDED' },
      ],
    });
    const result = await runVmtasks(['wait', velostrata, snapservice, ...fast], env);
    expect(result.stderr).toContain('all 2 tasks succeeded');
    expect(result.code).toBe(0);
  });

  it('finds a task that is listed only after the wait started', async () => {
    const id = 'task-started-a-moment-ago';
    const waiting = runVmtasks(['wait', id, ...fast], env);
    // Once the binary has asked twice and found it nowhere (the simulator counts requests).
    const asked = sim.snapservice.requests + 2;
    await expect.poll(() => sim.snapservice.requests, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(asked);
    sim.velostrata.addTask({
      id,
      steps: [
        { state: 'Running', progress: 10 },
        { afterMs: 20_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const result = await waiting;
    expect(result.stderr).toContain(`task ${id} succeeded`);
    expect(result.code).toBe(0);
  });

  it('exits 1 for a task no API lists', async () => {
    const result = await runVmtasks(['wait', 'no-such-task', ...fast], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no-such-task');
  });

  it('exits 130 on Ctrl-C (SIGINT) while waiting, quietly', async () => {
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 5 },
        { afterMs: 36_000_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const waiting = runVmtasks(['wait', id, ...fast], env);
    await printed(waiting, 'stdout', /running 5%/);
    waiting.child.kill('SIGINT');
    const result = await waiting;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('');
  });
});
