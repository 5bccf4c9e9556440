import { setMaxListeners } from 'node:events';
import { waitForTask } from '@vmtasks/core';
import { startSimulator } from '@vmtasks/simulator';
import { createSnapserviceClient, SnapserviceError, toSnapshot, type ListItem } from '@vmtasks/snapservice';
import { ManualClock } from '@vmtasks/testkit';
import { heapMiB, median, row, type Row } from './stats.js';

const POLL_MS = 5_000;
/** The most tasks snapservice lists for one service (`listTasks({ services })`). */
const VENDOR_CAP = 1_000;
const steady = { minIntervalMs: POLL_MS, maxIntervalMs: POLL_MS };
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface RoundCost {
  requests: number[];
  kib: number[];
  cpuMs: number[];
  heapMiB: number;
}

/**
 * `n` snapservice waits on one client, each on a task that runs throughout, on the simulator's
 * manual clock: what each round costs, counted at the simulator (requests, response bodies) and in
 * this process (CPU: client and simulator together, they share the process). `shared`: the
 * client's `waitForTask`; otherwise each wait polls `getTask` on its own, as before. `perService`:
 * how many tasks each service holds (default: all in one).
 */
async function measure(n: number, rounds: number, shared: boolean, perService = n): Promise<RoundCost> {
  const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 25 });
  const client = createSnapserviceClient({ baseUrl: sim.snapservice.url, sessionId: sim.snapservice.sessionId, retry: false });
  try {
    const service = (i: number): string | undefined =>
      perService >= n ? undefined : `com.vmware.snapservice.protection_group.wave-${Math.floor(i / perService)}`;
    const ids = Array.from({ length: n }, (_, i) =>
      sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 50 }], ...(service(i) ? { service: service(i) } : {}) }),
    );
    const clock = ManualClock.following(sim);
    const stop = new AbortController();
    setMaxListeners(n + 10, stop.signal); // one listener per wait: expected here
    const options = { ...steady, clock, signal: stop.signal };
    const lookUp =
      (taskId: string) =>
      async (signal: AbortSignal): Promise<ListItem[]> => {
        try {
          return [{ task: taskId, info: await client.getTask(taskId, { signal }) }];
        } catch (error) {
          if (error instanceof SnapserviceError && error.status === 404) return [];
          throw error;
        }
      };
    const request = { operation: 'waitForTask', method: 'GET', url: sim.snapservice.url };
    const heapBefore = heapMiB();
    const waits = ids.map((id) =>
      (shared
        ? client.waitForTask(id, options)
        : waitForTask({ list: lookUp(id), toSnapshot, request }, id, { ...options, whenDisappeared: 'not-found' })
      ).catch(() => undefined),
    );
    // A round is over when every poll sleeps again: one shared poll, or one per wait.
    const sleepers = shared ? 1 : n;
    const roundOver = async () => {
      while (clock.sleeping < sleepers) await nextTurn();
    };
    await roundOver();
    const heap = heapMiB() - heapBefore;
    const cost: RoundCost = { requests: [], kib: [], cpuMs: [], heapMiB: heap };
    for (let round = 0; round < rounds; round++) {
      const requests = sim.snapservice.requests;
      const bytes = sim.snapservice.bytesSent;
      const cpu = process.cpuUsage();
      await clock.advance(POLL_MS);
      await roundOver();
      const used = process.cpuUsage(cpu);
      cost.requests.push(sim.snapservice.requests - requests);
      cost.kib.push((sim.snapservice.bytesSent - bytes) / 1024);
      cost.cpuMs.push((used.user + used.system) / 1_000);
    }
    stop.abort();
    await Promise.all(waits);
    return cost;
  } finally {
    await client.close();
    await sim.stop();
  }
}

/**
 * Row 12: `n` concurrent `waitForTask` calls on one snapservice client, for each `n` of `counts`:
 * requests, response bytes and CPU per poll round, and the heap the waits hold at the largest `n`.
 * The reference, in the same run: the same waits each polling on its own (`getTask`), as before
 * shared polls, for `n` up to `referenceUpTo` (beyond, it is `n` requests a round by construction).
 */
export async function sharedWaitCost(counts: readonly number[], rounds: number, referenceUpTo: number): Promise<Row[]> {
  const rows: Row[] = [];
  const largest = Math.max(...counts);
  for (const n of counts) {
    const label = `12. ${n.toLocaleString('en')} concurrent waitForTask on one client (snapservice), per round`;
    const now = await measure(n, rounds, true);
    const before = n <= referenceUpTo ? await measure(n, rounds, false) : undefined;
    const requestTarget = n >= 1_000 ? { max: n / 100, text: `≤ ${(n / 100).toLocaleString('en')}` } : undefined;
    rows.push(
      row(
        `shared-wait-requests-${n}`,
        `${label}: requests`,
        'req',
        now.requests,
        requestTarget,
        before && `each alone: ${median(before.requests)} req`,
      ),
      row(
        `shared-wait-bytes-${n}`,
        `${label}: response bytes`,
        'KiB',
        now.kib,
        undefined,
        before && `each alone: ${median(before.kib).toFixed(1)} KiB`,
      ),
      row(
        `shared-wait-cpu-${n}`,
        `${label}: CPU (client and simulator, one process)`,
        'ms',
        now.cpuMs,
        undefined,
        before && `each alone: ${median(before.cpuMs).toFixed(1)} ms`,
      ),
    );
    if (n === largest) rows.push(row(`shared-wait-heap-${n}`, `${label}: heap held by the waits`, 'MiB', [now.heapMiB]));
    if (n > VENDOR_CAP) {
      // All in one service is the worst case: the vendor refuses to list a service of more than
      // 1,000 tasks, so they are read by ids. A wave spread over services within the cap is read by service.
      const spread = await measure(n, rounds, true, VENDOR_CAP);
      rows.push(
        row(
          `shared-wait-requests-${n}-by-service`,
          `${label}, ${VENDOR_CAP.toLocaleString('en')} tasks a service: requests`,
          'req',
          spread.requests,
          requestTarget,
        ),
      );
    }
  }
  return rows;
}
