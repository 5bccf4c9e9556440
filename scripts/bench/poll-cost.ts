import { startSimulator } from '@vmtasks/simulator';
import { createVelostrataClient } from '@vmtasks/velostrata';
import { median, row, type Row } from './stats.js';

/** Bytes of the body of one response to `url`, as the appliance sends it. */
async function bodyBytes(url: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, { headers });
  return Buffer.byteLength(await response.text());
}

/**
 * Row 10: what one poll of `waitForTask` costs when the task is one of 1,000 active Velostrata
 * tasks: before, each poll listed every active task (`GET /tasks`); now it asks for the one task
 * (`GET /tasks/{taskId}`). Bytes on the wire per poll, and the time of one client call each way,
 * alternating in the same run.
 */
export async function pollCost(tasks: number, reps: number): Promise<Row[]> {
  const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 10 });
  try {
    const ids: string[] = [];
    for (let n = 0; n < tasks; n++) ids.push(sim.velostrata.addTask({ steps: [{ state: 'Running', progress: n % 100 }] }));
    const client = createVelostrataClient({ baseUrl: sim.velostrata.url, password: sim.velostrata.password });
    const auth = { authorization: `Basic ${Buffer.from(`apiuser:${sim.velostrata.password}`).toString('base64')}` };
    const waited = ids[Math.floor(tasks / 2)]!;
    const listBytes = await bodyBytes(`${sim.velostrata.url}/tasks`, auth);
    const getBytes = await bodyBytes(`${sim.velostrata.url}/tasks/${waited}`, auth);

    const listMs: number[] = [];
    const getMs: number[] = [];
    const batch = 20;
    for (let i = 0; i < 3; i++) await Promise.all([client.listActiveTasks(), client.getTask(waited)]); // warm-up
    for (let rep = 0; rep < reps; rep++) {
      let started = performance.now();
      for (let i = 0; i < batch; i++) await client.listActiveTasks();
      listMs.push((performance.now() - started) / batch);
      started = performance.now();
      for (let i = 0; i < batch; i++) await client.getTask(waited);
      getMs.push((performance.now() - started) / batch);
    }
    await client.close();
    const label = `10. waitForTask, one task among ${tasks.toLocaleString('en')} (Velostrata), per poll`;
    return [
      row('poll-bytes-list', `${label}: bytes, before (GET /tasks, the whole list)`, 'KiB', [listBytes / 1024]),
      row('poll-bytes-get', `${label}: bytes, now (GET /tasks/{taskId})`, 'KiB', [getBytes / 1024], {
        max: listBytes / 1024 / 100,
        text: '≤ 1/100 of the list',
      }),
      row('poll-time-list', `${label}: time, before (list)`, 'ms', listMs),
      row('poll-time-get', `${label}: time, now (get)`, 'ms', getMs),
      row(
        'poll-time-ratio',
        `${label}: time now ÷ before (same run)`,
        '×',
        getMs.map((ms, i) => ms / listMs[i]!),
        { max: 0.2, text: '≤ 0.2×' },
        `median list ${median(listMs).toFixed(2)} ms`,
      ),
    ];
  } finally {
    await sim.stop();
  }
}
