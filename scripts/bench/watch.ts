import { TaskDiffer } from '@vmtasks/core';
import { startSimulator, type SnapserviceStep } from '@vmtasks/simulator';
import { createSnapserviceClient, toSnapshot, type ListItem } from '@vmtasks/snapservice';
import { ManualClock } from '@vmtasks/testkit';
import { heapMiB, median, row, type Row } from './stats.js';

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
    moves.push({
      afterMs: done === 0 ? (n % 60) * 1_000 : pace,
      status: 'RUNNING',
      progress: { total, completed: done },
      message: `Snapshotting virtual machine ${done}`,
    });
  }
  moves.push({ afterMs: pace, status: n % 17 === 0 ? 'FAILED' : 'SUCCEEDED' });
  return moves;
}

/**
 * Row 8: watching 10,000 snapservice tasks served by the simulator (manual clock): the time to
 * diff one poll (every listing of the poll turned into snapshots and compared, events made),
 * beside the time to `JSON.parse` the same answers, and the heap the watches hold.
 */
export async function watchScale(tasks: number, polls: number, rounds: number): Promise<Row[]> {
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

    // Time: one poll is ten listings; its diff is timed apart from the HTTP round trips. The
    // answers of every poll are fetched first, then replayed through fresh differs `rounds` times
    // (the first round a warm-up): each poll's diff and its JSON.parse are timed after a full GC, so
    // no collection of earlier garbage lands inside one ~10 ms measurement, and each round's figure
    // is the median of its polls: one descheduled or collecting moment cannot move it.
    const answers: string[][] = [];
    for (let poll = 0; poll <= polls; poll++) {
      answers.push(await bodies());
      await sim.advance(POLL_MS);
    }
    const diffMs: number[] = [];
    const parseMs: number[] = [];
    const ratios: number[] = [];
    let events = 0;
    for (let round = 0; round <= rounds; round++) {
      const differs = services.map(() => new TaskDiffer<ListItem>(toSnapshot));
      const diffed: number[] = [];
      const parsed: number[] = [];
      for (const [poll, texts] of answers.entries()) {
        const listings = texts.map((text) => (JSON.parse(text) as { items: ListItem[] }).items);
        gc?.();
        let started = performance.now();
        for (const text of texts) JSON.parse(text);
        const parseTime = performance.now() - started;
        gc?.();
        started = performance.now();
        let pollEvents = 0;
        for (const [i, differ] of differs.entries()) pollEvents += differ.diff(listings[i]!).length;
        const diffTime = performance.now() - started;
        // Poll 0 (every task appears) sets the differs up: not a poll a watch repeats.
        if (poll === 0) continue;
        if (round === 1) events += pollEvents;
        diffed.push(diffTime);
        parsed.push(parseTime);
      }
      if (round === 0) continue; // warm-up: the code is not optimized yet
      diffMs.push(median(diffed));
      parseMs.push(median(parsed));
      ratios.push(median(diffed.map((ms, i) => ms / parsed[i]!)));
    }
    // Released before the memory is measured: 100 MiB of answers, collected between the two heap
    // readings below, would count as held by the watches.
    answers.length = 0;

    // Memory: the heap the ten live watches hold once each has seen its 1000 tasks, measured as
    // the heap with them live less the heap once they are closed and dropped.
    const clock = ManualClock.following(sim);
    let watches = services.map((service) =>
      client.watchTasks({ services: [service] }, { clock, minIntervalMs: POLL_MS, maxIntervalMs: POLL_MS })[Symbol.asyncIterator](),
    );
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
    const note = `each sample: the median over ${polls} polls of one replay (${events} events a replay)`;
    return [
      row('watch-diff', `${label}: diff one poll`, 'ms', diffMs, { max: 10, text: '≤ 10 ms' }, note),
      row('watch-parse', `${label}: JSON.parse of the same answers`, 'ms', parseMs, undefined, note),
      row('watch-diff-ratio', `${label}: diff ÷ JSON.parse, per poll`, '×', ratios, undefined, note),
      row('watch-memory', `${label}: heap held by the watches`, 'MiB', [held], { max: 50, text: '≤ 50 MiB' }),
    ];
  } finally {
    await sim.stop();
  }
}
