// A thousand concurrent waitForTask calls on one client, against the simulator on its manual
// clock: they share one poll, whose requests per round are counted at the simulator.
import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { ManualClock } from '@vmtasks/testkit';
import { AbortError, createSnapserviceClient, TaskFailedError, TaskNotFoundError } from '@vmtasks/snapservice';
import { createVelostrataClient, TaskCancelledError, TaskOutcomeUnknownError } from '@vmtasks/velostrata';
import { afterEach, describe, expect, it } from 'vitest';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.stop()));
});

const steady = { minIntervalMs: 5_000, maxIntervalMs: 5_000 };
const WAITS = 1_000;

/** The simulator on its manual clock, and the requests one appliance received in each round (one clock step each). */
async function setup(appliance: 'snapservice' | 'velostrata') {
  const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 25 });
  sims.push(sim);
  const rounds: number[] = [];
  let counted = 0;
  let onStep: (() => void) | undefined;
  const count = () => {
    rounds.push(sim[appliance].requests - counted);
    counted = sim[appliance].requests;
  };
  const clock = ManualClock.following(sim, () => {
    count();
    onStep?.();
  });
  const elapsed = () => sim.now().getTime() - start;
  const start = sim.now().getTime();
  return {
    sim,
    clock,
    rounds,
    elapsed,
    /** Counts the last round, after the waits ended. */
    done: count,
    everyStep: (step: () => void) => (onStep = step),
  };
}

const outcome = (result: PromiseSettledResult<unknown>): string =>
  result.status === 'fulfilled' ? 'succeeded' : (result.reason as Error).name;

describe('1,000 concurrent waits on one client', () => {
  it('snapservice: types each outcome, lets one abort alone, and costs a few listTasks per round', async () => {
    const { sim, clock, rounds, elapsed, done, everyStep } = await setup('snapservice');
    const client = createSnapserviceClient({ baseUrl: sim.snapservice.url, sessionId: sim.snapservice.sessionId, retry: false });
    const ids = Array.from({ length: WAITS }, (_, i) => {
      const running = { status: 'RUNNING' as const, progress: 10 };
      const end = 10_000 + (i % 7) * 5_000;
      switch (i % 4) {
        case 0:
          return sim.snapservice.addTask({ steps: [running, { afterMs: end, status: 'SUCCEEDED' }] });
        case 1:
          return sim.snapservice.addTask({ steps: [running, { afterMs: end, status: 'FAILED' }] });
        case 2:
          return sim.snapservice.addTask({ steps: [running, { afterMs: end, removed: true }] });
        default:
          return `never-listed-${i}:com.vmware.snapservice.protection_group`;
      }
    });
    const abort = new AbortController();
    everyStep(() => elapsed() >= 12_000 && abort.abort());
    const waits = ids.map((id, i) => client.waitForTask(id, { ...steady, clock, ...(i === 4 && { signal: abort.signal }) }));
    const results = await clock.settle(Promise.allSettled(waits));
    done();
    const expected = ids.map((_, i) =>
      i === 4 ? 'AbortError' : ['succeeded', 'TaskFailedError', 'TaskNotFoundError', 'TaskNotFoundError'][i % 4],
    );
    expect(results.map(outcome)).toEqual(expected);
    expect((results[4] as PromiseRejectedResult).reason).toBeInstanceOf(AbortError);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(TaskFailedError);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ snapshot: { state: 'running' } });
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(TaskNotFoundError);
    // The first round asks by ids, in batches of 8 KiB request lines (the simulator's ids are 78
    // characters once encoded: 95 a batch); later rounds list their service once, plus the ids never seen.
    expect(rounds[0]).toBeLessThanOrEqual(11);
    expect(Math.max(...rounds.slice(1))).toBeLessThanOrEqual(3);
    expect(rounds.slice(3)).toEqual(rounds.slice(3).map((r) => (r === 0 ? 0 : 1)));
    expect(clock.sleeping).toBe(0);
    await client.close();
  });

  it('snapservice: a session that expires in the middle of a round is renewed once, and no wait fails', async () => {
    const { sim, clock, rounds, elapsed, done, everyStep } = await setup('snapservice');
    const client = createSnapserviceClient({
      baseUrl: sim.snapservice.url,
      username: sim.snapservice.username,
      password: sim.snapservice.password,
      retry: false,
    });
    // Twenty services of fifty tasks: each too few to list by service, so every round is read by id, in batches.
    const ids = Array.from({ length: WAITS }, (_, i) =>
      sim.snapservice.addTask({
        service: `com.vmware.snapservice.service_${i % 20}`,
        steps: [
          { status: 'RUNNING', progress: 5 },
          { afterMs: 30_000, status: 'SUCCEEDED' },
        ],
      }),
    );
    let expiring = true;
    everyStep(() => {
      if (!expiring || elapsed() < 10_000) return;
      expiring = false;
      // The third round: its first three batches pass, the fourth meets an expired session.
      sim.snapservice.expireSessionAfter(3);
    });
    const failures: unknown[] = [];
    const waits = ids.map((id) => client.waitForTask(id, { ...steady, clock, onTransientFailure: (n) => failures.push(n) }));
    const results = await clock.settle(Promise.allSettled(waits));
    done();
    expect(results.map(outcome).filter((o) => o !== 'succeeded')).toEqual([]);
    expect(failures).toEqual([]);
    expect(expiring).toBe(false);
    // The first login, and one renewal however many batches met the expired session.
    expect(sim.snapservice.sessions().created).toBe(2);
    // Every round is the same batches; the first one also logged in; the one that renewed (the
    // third, at 10 s): three batches passed, the fourth met the expired session, one login, that batch again.
    const batches = rounds[1]!;
    expect(batches).toBeGreaterThan(3);
    expect(rounds.slice(0, -1)).toEqual([batches + 1, batches, batches + 2, batches, batches, batches, batches]);
    await client.close();
  });

  it('velostrata: types each outcome (cancelled and unknown included) with at most 10 listTasks per round', async () => {
    const { sim, clock, rounds, done } = await setup('velostrata');
    const client = createVelostrataClient({ baseUrl: sim.velostrata.url, password: sim.velostrata.password, retry: false });
    const ids = Array.from({ length: WAITS }, (_, i) => {
      const running = { state: 'Running' as const, progress: 10 };
      const end = 10_000 + (i % 7) * 5_000;
      switch (i % 5) {
        case 0:
          return sim.velostrata.addTask({ steps: [running, { afterMs: end, state: 'Succeeded' }] });
        case 1:
          return sim.velostrata.addTask({ steps: [running, { afterMs: end, state: 'Failed', errorMessage: ['disk full'] }] });
        case 2:
          return sim.velostrata.addTask({ steps: [running, { afterMs: end, state: 'Cancelled' }] });
        case 3:
          return sim.velostrata.addTask({ steps: [running, { afterMs: end, removed: true }] });
        default:
          return `task-never-${i}`;
      }
    });
    const results = await clock.settle(Promise.allSettled(ids.map((id) => client.waitForTask(id, { ...steady, clock }))));
    done();
    const names = ['succeeded', 'TaskFailedError', 'TaskCancelledError', 'TaskOutcomeUnknownError', 'TaskNotFoundError'];
    expect(results.map(outcome)).toEqual(ids.map((_, i) => names[i % 5]));
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(TaskCancelledError);
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(TaskOutcomeUnknownError);
    expect(Math.max(...rounds)).toBeLessThanOrEqual(10);
    expect(clock.sleeping).toBe(0);
    await client.close();
  });
});
