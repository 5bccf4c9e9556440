import { TaskDiffer } from '@vmtasks/core';
import { startSimulator, type SnapserviceStep } from '@vmtasks/simulator';
import { createSnapserviceClient, toSnapshot, type ListItem } from '@vmtasks/snapservice';
import { ManualClock } from '@vmtasks/testkit';
import { row, type Row } from './stats.js';

// Present when node runs with --expose-gc (npm run bench does).
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

// The snapservice lists at most 1000 tasks per answer, so 10,000 tasks are watched as ten
// services of 1000 each: ten watches, ten listings per poll.
const PER_SERVICE = 1_000;
const POLL_MS = 5_000;

/** A snapshot task that starts within a minute and moves every 10–30 s to its end: most polls see some of them change. */
function steps(n: number): SnapserviceStep[] {
  const total = 8;
  const pace = 10_000 + (n % 3) * 10_000;
  const moves: SnapserviceStep[] = [{ status: 'PENDING' }];
  for (let done = 0; done <= total; done++) {
    moves.push({ afterMs: done === 0 ? (n % 60) * 1_000 : pace, status: 'RUNNING', progress: { total, completed: done }, message: `Snapshotting virtual machine ${done}` });
  }
  moves.push({ afterMs: pace, status: n % 17 === 0 ? 'FAILED' : 'SUCCEEDED' });
  return moves;
}

/**
 * Row 8: watching 10,000 snapservice tasks served by the simulator (manual clock): the time to
 * diff one poll (every listing of the poll turned into snapshots and compared, events made),
 * beside the time to `JSON.parse` the same answers, and the heap the watches hold.
 */
export async function watchScale(tasks: number, polls: number): Promise<Row[]> {
  const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 8 });
  try {
    const services = Array.from({ length: Math.ceil(tasks / PER_SERVICE) }, (_, i) => `com.vmware.snapservice.bench_${i}`);
    for (let n = 0; n < tasks; n++) sim.snapservice.addTask({ service: services[n % services.length], steps: steps(n) });
    const client = createSnapserviceClient({ baseUrl: sim.snapservice.url, sessionId: sim.snapservice.sessionId });
    const bodies = async (): Promise<string[]> =>
      Promise.all(
        services.map(async (service) => {
          const response = await fetch(`${sim.snapservice.url}/api/snapservice/tasks?services=${service}`, {
            headers: { 'vmware-api-session-id': sim.snapservice.sessionId },
          });
          return response.text();
        }),
      );

    // Time: one poll is ten listings; its diff is timed apart from the HTTP round trips.
    const differs = services.map(() => new TaskDiffer<ListItem>(toSnapshot));
    const diffMs: number[] = [];
    const parseMs: number[] = [];
    let events = 0;
    for (let poll = 0; poll <= polls; poll++) {
      const texts = await bodies();
      let started = performance.now();
      const listings = texts.map((text) => (JSON.parse(text) as { items: ListItem[] }).items);
      const parsed = performance.now() - started;
      started = performance.now();
      for (const [i, differ] of differs.entries()) events += differ.diff(listings[i]!).length;
      const diffed = performance.now() - started;
      // The first poll (every task appears) is the warm-up.
      if (poll > 0) {
        diffMs.push(diffed);
        parseMs.push(parsed);
      }
      await sim.advance(POLL_MS);
    }
    differs.length = 0;

    // Memory: the heap the ten live watches hold once each has seen its 1000 tasks, measured as
    // the heap with them live less the heap once they are closed and dropped.
    const clock = ManualClock.following(sim);
    let watches = services.map((service) => client.watchTasks({ services: [service] }, { clock, minIntervalMs: POLL_MS, maxIntervalMs: POLL_MS })[Symbol.asyncIterator]());
    let watched = 0;
    for (const watch of watches) {
      for (;;) {
        const next = await clock.settle(watch.next());
        if (next.done) throw new Error('the watch ended');
        if (next.value.type === 'transient-failure') throw next.value.error;
        if (next.value.type === 'appeared' || next.value.type === 'finished') watched++;
        if (next.value.type === 'polled') break;
      }
    }
    const live = heapMiB();
    await Promise.all(watches.map((watch) => watch.return?.()));
    watches = [];
    const held = live - heapMiB();
    await client.close();
    if (watched !== tasks) throw new Error(`watched ${watched} tasks, expected ${tasks}`);

    const label = `8. watching ${tasks.toLocaleString('en')} snapservice tasks`;
    return [
      row('watch-diff', `${label}: diff one poll`, 'ms', diffMs, { max: 10, text: '≤ 10 ms' }, `${events} events over ${polls + 1} polls`),
      row('watch-parse', `${label}: JSON.parse of the same answers`, 'ms', parseMs),
      row('watch-diff-ratio', `${label}: diff ÷ JSON.parse, per poll`, '×', diffMs.map((ms, i) => ms / parseMs[i]!)),
      row('watch-memory', `${label}: heap held by the watches`, 'MiB', [held], { max: 50, text: '≤ 50 MiB' }),
    ];
  } finally {
    await sim.stop();
  }
}
