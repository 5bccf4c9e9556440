// `vmtasks wait` in-process, on a clock in lockstep with the simulator's manual clock: every
// poll interval, the lookup's grace and --timeout pass only when the test moves the clocks.
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { lockstepSimulators } from './lockstep-sim.js';

const sims = lockstepSimulators();
const fast = ['--interval', '100ms'];
// Waiting costs no real time on this clock, polls do: where a test runs the clocks to the end,
// fewer polls (every 5 s, backing off to 30 s) finish sooner on a loaded machine.
const sparse = ['--interval', '5s'];

describe('vmtasks wait', () => {
  it('exits 0 when the task succeeded, showing each step of its progress', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const id = sim.velostrata.addTask({
      taskType: 'FullMigration',
      steps: [
        { state: 'Running', progress: 10, message: 'Starting' },
        { afterMs: 20_000, state: 'Running', progress: 60, message: 'Replicating disk' },
        { afterMs: 20_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const waiting = runInProcess(['wait', id, ...fast], sim.env(), clock);
    // Each step happens only once the previous one has been printed and the wait sleeps.
    await clock.until(1, waiting.finished);
    expect(waiting.text('stdout')).toMatch(new RegExp(`velostrata ${id} FullMigration vm-\\d+: running 10% · Starting\n$`));
    await clock.advance(20_000);
    await clock.until(1, waiting.finished);
    expect(waiting.text('stdout')).toMatch(/: running 60% · Replicating disk\n$/);
    await clock.advance(20_000);
    const result = await waiting.finished;
    expect(result.stdout).toMatch(/: succeeded in 40s/);
    expect(result.stderr).toBe(`✓ task ${id} succeeded\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
  });

  it('exits 1 when the task failed, saying which and why', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
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
    const result = await clock.runUntil(runInProcess(['wait', id, '--api', 'snapservice', ...sparse], sim.env(), clock).finished);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(id);
    expect(result.stderr).toContain('Datastore ds-7 is not reachable');
    expect(clock.now() - sim.now().getTime()).toBe(0);
  });

  it('exits 1 when the task was cancelled', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 20 },
        { afterMs: 10_000, state: 'Cancelling', progress: 20 },
        { afterMs: 10_000, state: 'Cancelled', progress: 20 },
      ],
    });
    const result = await clock.runUntil(runInProcess(['wait', id, ...sparse], sim.env(), clock).finished);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${id}.*cancelled`, 'i'));
  });

  it('exits 124 on --timeout (a bare number is seconds) of the clock, naming the task still going', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 5 },
        { afterMs: 36_000_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const started = clock.now();
    const result = await clock.runUntil(runInProcess(['wait', id, '--timeout', '1', ...fast], sim.env(), clock).finished);
    expect(result.code).toBe(124);
    expect(result.stderr).toContain(id);
    expect(result.stderr).toContain('did not finish within 1000 ms');
    // The deadline is the clock's: a simulated second passed, however long the machine took.
    expect(clock.now() - started).toBe(1000);
  });

  it('exits 3 when the appliance refuses the credentials, without printing them', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const wrong = 'not-the-subscription-id-4711';
    const run = runInProcess(['wait', 'task-1', '--api', 'velostrata'], { ...sim.env(), VELOSTRATA_PASSWORD: wrong }, clock);
    const result = await run.finished;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('velostrata refused the credentials (HTTP 401)');
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('waits for tasks of both APIs at once, finding which API lists each', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
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
    const waiting = runInProcess(['wait', velostrata, snapservice, ...fast], sim.env(), clock);
    // Both waits poll: the clocks move only while both sleep.
    await clock.until(2, waiting.finished);
    await clock.advance(20_000);
    const result = await clock.runUntil(waiting.finished);
    expect(result.stderr).toContain('all 2 tasks succeeded');
    expect(result.code).toBe(0);
  });

  it('finds a task that is listed only after the wait started', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const id = 'task-started-a-moment-ago';
    const before = sim.snapservice.requests;
    const waiting = runInProcess(['wait', id, ...fast], sim.env(), clock);
    // Once it has asked twice and found it nowhere (the simulator counts requests).
    await clock.until(1, waiting.finished);
    await clock.next();
    await clock.until(1, waiting.finished);
    expect(sim.snapservice.requests).toBeGreaterThanOrEqual(before + 2);
    sim.velostrata.addTask({
      id,
      steps: [
        { state: 'Running', progress: 10 },
        { afterMs: 20_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const result = await clock.runUntil(waiting.finished);
    expect(result.stderr).toContain(`task ${id} succeeded`);
    expect(result.code).toBe(0);
  });

  it('exits 1 for a task no API lists, once the grace has passed on the clock', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const started = clock.now();
    const result = await clock.runUntil(runInProcess(['wait', 'no-such-task', ...sparse], sim.env(), clock).finished);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no-such-task');
    expect(clock.now() - started).toBe(5000);
  });

  it('exits 130 when stopped (Ctrl-C) while waiting, quietly', async () => {
    const { sim, clock } = await sims.start({ scenario: 'empty' });
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 5 },
        { afterMs: 36_000_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const waiting = runInProcess(['wait', id, ...fast], sim.env(), clock);
    await waiting.printed('stdout', /running 5%/);
    waiting.stop('SIGINT');
    const result = await waiting.finished;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('');
    expect(clock.sleeping).toBe(0);
  });
});
