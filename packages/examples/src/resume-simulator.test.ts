// watchTasks stopped, and resumed from its checkpoint, against @vmtasks/simulator's appliances on
// their manual clock: every transition announced exactly once across the restart, for both clients.
// And a stall: polls failing for longer than stallAfterMs, then succeeding again.
import { PROTECTION_GROUP_SERVICE, startSimulator, type Simulator } from '@vmtasks/simulator';
import { ManualClock } from '@vmtasks/testkit';
import { createSnapserviceClient } from '@vmtasks/snapservice';
import { createVelostrataClient, type WatchCheckpoint, type WatchEvent, type WatchTasksOptions } from '@vmtasks/velostrata';
import { afterEach, describe, expect, it } from 'vitest';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.stop()));
});

// Polls every 5 s exactly (no jitter when min = max), so that a test knows what each poll sees.
const steady = { minIntervalMs: 5_000, maxIntervalMs: 5_000 } satisfies WatchTasksOptions;

/** What the tests need of one appliance: its tasks' lives in its own words, and a watch of them. */
interface Appliance {
  sim: Simulator;
  clock: ManualClock;
  /** A task running at 10% now that, `afterMs` later, does `then` (or nothing). */
  add(name: string, then?: { afterMs: number; to: 'progress' | 'succeeded' | 'removed' }): string;
  watch(options: WatchTasksOptions): AsyncIterable<WatchEvent> & { checkpoint(): WatchCheckpoint };
}

async function velostrata(): Promise<Appliance> {
  // Finished tasks stay in the active list for ten minutes: a finish is seen before the task leaves.
  const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 7, retentionMs: 600_000 });
  sims.push(sim);
  const client = createVelostrataClient({ baseUrl: sim.velostrata.url, password: sim.velostrata.password, retry: false });
  return {
    sim,
    clock: ManualClock.following(sim),
    add: (name, then) =>
      sim.velostrata.addTask({
        id: name,
        steps: [
          { state: 'Running', progress: 10 },
          ...(then === undefined
            ? []
            : then.to === 'removed'
              ? [{ afterMs: then.afterMs, removed: true as const }]
              : [
                  {
                    afterMs: then.afterMs,
                    state: then.to === 'succeeded' ? ('Succeeded' as const) : ('Running' as const),
                    progress: then.to === 'succeeded' ? 100 : 50,
                  },
                ]),
        ],
      }),
    watch: (options) => client.watchTasks(options),
  };
}

async function snapservice(): Promise<Appliance> {
  const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 7 });
  sims.push(sim);
  const client = createSnapserviceClient({ baseUrl: sim.snapservice.url, sessionId: sim.snapservice.sessionId, retry: false });
  return {
    sim,
    clock: ManualClock.following(sim),
    add: (name, then) =>
      sim.snapservice.addTask({
        id: `${name}:${PROTECTION_GROUP_SERVICE}`,
        steps: [
          { status: 'RUNNING', progress: { total: 10, completed: 1 } },
          ...(then === undefined
            ? []
            : then.to === 'removed'
              ? [{ afterMs: then.afterMs, removed: true as const }]
              : [
                  then.to === 'succeeded'
                    ? { afterMs: then.afterMs, status: 'SUCCEEDED' as const, progress: { total: 10, completed: 10 } }
                    : { afterMs: then.afterMs, status: 'RUNNING' as const, progress: { total: 10, completed: 5 } },
                ]),
        ],
      }),
    watch: (options) => client.watchTasks({ services: [PROTECTION_GROUP_SERVICE] }, options),
  };
}

/** Events of `watch` until its `rounds`-th poll, then the loop stops (and with it the polling). */
async function follow(appliance: Appliance, watch: AsyncIterable<WatchEvent>, rounds: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const iterator = watch[Symbol.asyncIterator]();
  let polls = 0;
  while (polls < rounds) {
    const next = await appliance.clock.settle(iterator.next());
    if (next.done) break;
    events.push(next.value);
    if (next.value.type === 'polled') polls++;
  }
  await iterator.return?.();
  return events;
}

/** The task events, as `type name state`, with the appliance's id suffix taken off. */
const transitions = (events: readonly WatchEvent[]): string[] =>
  events.flatMap((e) => ('snapshot' in e ? [`${e.type} ${e.snapshot.id.split(':')[0]} ${e.snapshot.state}`] : [])).sort();

describe.each([
  ['velostrata', velostrata],
  ['snapservice', snapservice],
])('%s: watchTasks resumed from a checkpoint', (_name, start) => {
  it('announces what changed, finished, left or came while it was stopped, once; nothing else', async () => {
    const appliance = await start();
    const { clock, sim } = appliance;
    appliance.add('steady');
    appliance.add('moves', { afterMs: 30_000, to: 'progress' });
    appliance.add('ends', { afterMs: 30_000, to: 'succeeded' });
    appliance.add('leaves', { afterMs: 30_000, to: 'removed' });
    appliance.add('done', { afterMs: 2_000, to: 'succeeded' });

    const first = appliance.watch({ ...steady, clock });
    const before = await follow(appliance, first, 2);
    expect(transitions(before)).toEqual([
      'appeared done running',
      'appeared ends running',
      'appeared leaves running',
      'appeared moves running',
      'appeared steady running',
      'finished done succeeded',
    ]);
    // Written to a file and read back by the next process.
    const saved = JSON.parse(JSON.stringify(first.checkpoint())) as WatchCheckpoint;
    expect(JSON.stringify(saved)).not.toMatch(/progress|Running|RUNNING|apiuser|Administrator/);

    // The watcher is down for a minute; meanwhile a task comes too.
    await sim.advance(60_000);
    appliance.add('new');

    const resumed = appliance.watch({ ...steady, clock, resumeFrom: saved });
    const after = await follow(appliance, resumed, 3);
    expect(transitions(after)).toEqual([
      'appeared new running',
      'changed moves running',
      'disappeared leaves running',
      'finished ends succeeded',
    ]);
    expect(after.filter((e) => e.type === 'polled')).toHaveLength(3);

    // Across the restart, each transition once: the same as one watch that never stopped would say.
    const all = transitions([...before, ...after]);
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(resumed.checkpoint().tasks).map((id) => id.split(':')[0])).toEqual(
      expect.arrayContaining(['steady', 'moves', 'ends', 'done', 'new']),
    );
    expect(Object.keys(resumed.checkpoint().tasks)).toHaveLength(5);
  });

  it('says stalled once while the appliance fails for longer than stallAfterMs, then recovered once', async () => {
    const appliance = await start();
    const { clock, sim } = appliance;
    appliance.add('steady');
    const events = appliance.watch({ ...steady, clock, stallAfterMs: 12_000 });
    const iterator = events[Symbol.asyncIterator]();
    const seen: WatchEvent[] = [];
    let faulted = false;
    for (;;) {
      const next = await clock.settle(iterator.next());
      if (next.done) break;
      seen.push(next.value);
      if (next.value.type === 'polled' && !faulted) {
        faulted = true;
        // Five polls in a row answer 503 (both appliances, one is watched): 25 s without a success, more than 12 s.
        sim.velostrata.injectFault({ kind: 'unavailable' }, 5);
        sim.snapservice.injectFault({ kind: 'unavailable' }, 5);
      } else if (next.value.type === 'polled') break;
    }
    await iterator.return?.();
    const kinds = seen.map((e) => e.type);
    expect(kinds.filter((k) => k !== 'transient-failure')).toEqual(['appeared', 'polled', 'stalled', 'recovered', 'polled']);
    expect(kinds.filter((k) => k === 'transient-failure')).toHaveLength(5);
    const stalled = seen.find((e) => e.type === 'stalled');
    const recovered = seen.find((e) => e.type === 'recovered');
    expect(stalled).toMatchObject({ lastError: { status: 503 } });
    // Since the last success, the first poll; reported at the first retry past 12 s, not at the end.
    expect(stalled?.type === 'stalled' && Date.parse(stalled.since)).toBe(Date.parse((seen[1] as { at: string }).at));
    expect(kinds.indexOf('stalled')).toBeLessThan(kinds.lastIndexOf('transient-failure'));
    expect(recovered).toMatchObject({ since: (stalled as { since: string }).since });
  });
});
