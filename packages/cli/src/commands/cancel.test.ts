// `vmtasks cancel <id> [--wait]`: Velostrata's cancelTask, and wait's code paths to follow it to its end.
import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMain } from '../../test/fake-io.js';
import { runInProcess } from '../../test/in-process.js';
import { LockstepClock } from '../../test/lockstep-clock.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
});
afterEach(() => sim.stop());

const fast = ['--interval', '100ms'];
const runningSteps = [{ state: 'Running' as const, progress: 20 }];
const stateOf = (id: string): string | undefined => sim.velostrata.tasks().find((task) => task.id?.value === id)?.state;

describe('vmtasks cancel', () => {
  it('asks the manager to cancel a running task and exits 0', async () => {
    const id = sim.velostrata.addTask({ steps: runningSteps });
    const result = await runMain(['cancel', id], sim.env());
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: `cancelling ${id}\n` });
    expect(stateOf(id)).toBe('Cancelling');
  });

  it('--wait exits 0 once the task is cancelled', async () => {
    const id = sim.velostrata.addTask({ steps: runningSteps });
    // On a clock in lockstep with the simulator's: it moves only once the wait sleeps.
    const clock = new LockstepClock(sim);
    const cancelling = runInProcess(['cancel', id, '--wait', ...fast], sim.env(), clock);
    await clock.until(1, cancelling.finished);
    expect(stateOf(id)).toBe('Cancelling');
    await clock.advance(10_000);
    const result = await clock.runUntil(cancelling.finished);
    expect(result.stderr).toContain(`cancelling ${id}\n`);
    expect(result.stderr).toContain(`✓ task ${id} cancelled\n`);
    expect(result.stdout).toMatch(/: cancelled/);
    expect(result.code).toBe(0);
  });

  it('a task that had already succeeded: exit 1, with or without --wait', async () => {
    const id = sim.velostrata.addTask({ steps: [{ state: 'Succeeded', progress: 100 }] });
    const now = await runMain(['cancel', id], sim.env());
    expect(now.code).toBe(1);
    expect(now.stderr).toContain(`${id} had already ended\n`);
    expect(now.stderr).toContain(`task ${id} succeeded, it was not cancelled`);
    const waited = await runMain(['cancel', id, '--wait', ...fast], sim.env());
    expect(waited.code).toBe(1);
    expect(waited.stderr).toContain(`task ${id} succeeded, it was not cancelled`);
    expect(stateOf(id)).toBe('Succeeded');
  });

  it('a task that had already been cancelled: exit 0', async () => {
    const id = sim.velostrata.addTask({ steps: [{ state: 'Cancelled', progress: 20 }] });
    const result = await runMain(['cancel', id], sim.env());
    expect(result).toMatchObject({ code: 0, stderr: `${id} had already ended\n` });
  });

  it('--wait --timeout exits 124 when the task is still cancelling', async () => {
    const id = sim.velostrata.addTask({ steps: runningSteps });
    // A simulated second passes on the clock; the cancellation takes longer.
    const clock = new LockstepClock(sim);
    const started = clock.now();
    const result = await clock.runUntil(runInProcess(['cancel', id, '--wait', '--timeout', '1s', ...fast], sim.env(), clock).finished);
    expect(result.code).toBe(124);
    expect(clock.now() - started).toBe(1000);
    expect(stateOf(id)).toBe('Cancelling');
  });

  it('an API without a cancel operation exits 2 saying so', async () => {
    const id = sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30 }] });
    const named = await runMain(['cancel', id, '--api', 'snapservice'], sim.env());
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('snapservice has no cancel operation');
    const found = await runMain(['cancel', id], sim.env());
    expect(found.code).toBe(2);
    expect(found.stderr).toContain('snapservice has no cancel operation');
  });

  it('an unknown id exits 1', async () => {
    const result = await runMain(['cancel', 'task-none'], sim.env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('task task-none is not listed');
  });
});
