// snapservice login from SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD: the client logs in on first
// use, again when the session expires, and the CLI logs out whatever ends the command.
import { SNAPSERVICE_SERVICES, startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMain } from '../test/fake-io.js';
import { runInProcess } from '../test/in-process.js';
import { LockstepClock } from '../test/lockstep-clock.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
});
afterEach(() => sim.stop());

/** The simulator's snapservice with a user name and password only: no session id to fall back on. */
function loginEnv(): Record<string, string> {
  const { SNAPSERVICE_SESSION_ID: _unused, ...env } = sim.env();
  return {
    ...env,
    SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(','),
    SNAPSERVICE_USERNAME: sim.snapservice.username,
    SNAPSERVICE_PASSWORD: sim.snapservice.password,
  };
}

describe('snapservice login', () => {
  it('logs in with SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD, and out when the command ends', async () => {
    const id = sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30 }] });
    const before = sim.snapservice.sessions();
    const result = await runMain(['tasks', '--api', 'snapservice', '--json'], loginEnv());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { id: string }[]).map((task) => task.id)).toEqual([id]);
    expect(sim.snapservice.sessions()).toEqual({ created: before.created + 1, live: before.live });
  });

  it('logs in again when the session expires in the middle of a wait, and the wait succeeds', async () => {
    const id = sim.snapservice.addTask({
      steps: [
        { status: 'RUNNING', progress: 30 },
        { afterMs: 20_000, status: 'SUCCEEDED' },
      ],
    });
    const before = sim.snapservice.sessions();
    const clock = new LockstepClock(sim);
    const waiting = runInProcess(['wait', id, '--api', 'snapservice', '--interval', '100ms'], loginEnv(), clock);
    // The wait has polled once and sleeps, on a clock in lockstep with the simulator's.
    await clock.until(1, waiting.finished);
    expect(sim.snapservice.sessions().created).toBe(before.created + 1);
    sim.snapservice.expireSession(); // every live session, the simulator's fixed one included
    const expired = sim.snapservice.sessions();
    await clock.advance(20_000);
    const result = await clock.runUntil(waiting.finished);
    expect(result.stderr).toContain(`✓ task ${id} succeeded\n`);
    expect(result.code).toBe(0);
    expect(sim.snapservice.sessions()).toEqual({ created: before.created + 2, live: expired.live });
  });

  it('logs out on Ctrl-C too', async () => {
    sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30 }] });
    const before = sim.snapservice.sessions();
    const clock = new LockstepClock(sim);
    const watching = runInProcess(['watch', '--api', 'snapservice', '--interval', '100ms'], loginEnv(), clock);
    await clock.until(1, watching.finished);
    expect(watching.text('stdout')).toContain('running');
    expect(sim.snapservice.sessions().live).toBe(before.live + 1);
    watching.stop('SIGINT');
    expect((await watching.finished).code).toBe(130);
    expect(sim.snapservice.sessions()).toEqual({ created: before.created + 1, live: before.live });
  });

  it('never prints SNAPSERVICE_PASSWORD, nor its Basic form, even when the server echoes it', async () => {
    const password = sim.snapservice.password;
    const basic = Buffer.from(`${sim.snapservice.username}:${password}`).toString('base64');
    const id = sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30, message: `copying with ${password} (${basic})` }] });
    const result = await runMain(['show', id, '--api', 'snapservice'], loginEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('copying with [REDACTED] ([REDACTED])');
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(result.stdout + result.stderr).not.toContain(basic);
  });

  it('a wrong password exits 3 saying which variables to check, without printing it', async () => {
    const result = await runMain(['tasks', '--api', 'snapservice'], { ...loginEnv(), SNAPSERVICE_PASSWORD: 'wrong-pass-7731' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('snapservice refused the credentials (HTTP 401)');
    expect(result.stderr).toContain('check SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD');
    expect(result.stdout + result.stderr).not.toContain('wrong-pass-7731');
  });

  it('a user name without a password exits 2 saying what is missing', async () => {
    const { SNAPSERVICE_PASSWORD: _unused, ...env } = loginEnv();
    const result = await runMain(['tasks', '--api', 'snapservice'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no password: set both SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD');
  });
});
