// `vmtasks tasks --all`: Velostrata's history through iterateTasks, printed a page at a time.
import { SNAPSERVICE_SERVICES, startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeIO, runMain } from '../../test/fake-io.js';
import { main } from '../main.js';
import { HISTORY_PAGE_SIZE } from './tasks.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
});
afterEach(() => sim.stop());

const TASKS = 2 * HISTORY_PAGE_SIZE + 50; // three pages

/** `count` tasks that ended an hour ago (gone from the active list), plus one running. */
async function history(count: number): Promise<{ finished: string[]; running: string }> {
  const finished = Array.from({ length: count }, (_, i) =>
    sim.velostrata.addTask({ id: `old-${String(i).padStart(4, '0')}`, steps: [{ state: 'Succeeded', progress: 100 }] }),
  );
  await sim.advance(3_600_000);
  return { finished, running: sim.velostrata.addTask({ id: 'now-1', steps: [{ state: 'Running', progress: 10 }] }) };
}

/** Runs `vmtasks` in-process, noting how many requests Velostrata had answered at each write to stdout. */
async function runCounting(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; requestsAtWrite: number[] }> {
  const io = fakeIO(sim.env());
  const requestsAtWrite: number[] = [];
  const write = io.stdout.write.bind(io.stdout);
  io.stdout.write = ((chunk: string) => {
    requestsAtWrite.push(sim.velostrata.requests);
    return write(chunk);
  }) as typeof io.stdout.write;
  const code = await main(argv, io, new AbortController().signal);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text(), requestsAtWrite };
}

describe('vmtasks tasks --all', () => {
  it('lists finished tasks too, a page at a time: rows appear before the last page is fetched', async () => {
    const { finished, running } = await history(TASKS);
    const before = sim.velostrata.requests;
    const result = await runCounting(['tasks', '--all', '--api', 'velostrata']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ +ID +KIND +TARGET +DONE +STATE +AGE/);
    expect(rows.map((row) => row.split(/ +/)[1])).toEqual([...finished, running]);
    // One request per page (251 tasks: three pages of 100), and the first rows were written after
    // the first request, before the second: one write per page.
    expect(sim.velostrata.requests - before).toBe(3);
    expect(result.requestsAtWrite[0]).toBe(before + 1);
    expect(result.requestsAtWrite.length).toBe(3);
    // Stable columns: the state column starts at the same place on every row.
    const stateAt = header!.indexOf('STATE');
    for (const row of rows) expect(row.slice(stateAt, stateAt + 9)).toMatch(/^(succeeded|running)\b/);
    // Without --all only the active task is listed.
    const active = await runMain(['tasks', '--api', 'velostrata', '--json'], sim.env());
    expect((JSON.parse(active.stdout) as { id: string }[]).map((task) => task.id)).toEqual([running]);
  });

  it('--json writes one array as the pages come, one task per line', async () => {
    const { finished, running } = await history(TASKS);
    const result = await runCounting(['tasks', '--all', '--api', 'velostrata', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { id: string; api: string; state: string }[];
    expect(parsed.map((task) => task.id)).toEqual([...finished, running]);
    expect(parsed[0]).toMatchObject({ api: 'velostrata', state: 'succeeded' });
    expect(result.stdout.split('\n')).toHaveLength(TASKS + 1 + 3);
    expect(new Set(result.requestsAtWrite).size).toBe(3);
  });

  it('snapservice has no history: it lists what tasks lists, with a note', async () => {
    await history(2);
    const id = sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30 }] });
    const result = await runMain(['tasks', '--all', '--json'], { ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('note: snapservice keeps no task history: --all lists what it lists now\n');
    const ids = (JSON.parse(result.stdout) as { id: string }[]).map((task) => task.id);
    expect(ids).toEqual(['old-0000', 'old-0001', 'now-1', id]);
  });

  it('on a terminal, one set of columns for both APIs, fitted to the width as `tasks` fits them, states aligned', async () => {
    await history(TASKS);
    const ids = [0, 1].map(() => sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30 }] }));
    const env = { ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(','), NO_COLOR: '1' };
    const result = await runMain(['tasks', '--all'], env, { columns: 120, rows: 40 });
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(TASKS + 1 + ids.length);
    // The snapservice rows come last, laid out as `tasks` lays them out at this width.
    const listed = (await runMain(['tasks'], env, { columns: 120, rows: 40 })).stdout.trimEnd().split('\n');
    expect(rows.slice(-ids.length)).toEqual(listed.filter((line) => line.includes(' snapservice ')));
    const stateAt = header!.indexOf('STATE');
    for (const row of [header!, ...rows]) {
      expect(row.length).toBeLessThanOrEqual(120);
      expect(row.slice(stateAt)).toMatch(/^(STATE|succeeded|running)\b/);
    }
  });

  it('an empty history says so', async () => {
    const result = await runMain(['tasks', '--all', '--api', 'velostrata'], sim.env());
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'No tasks.\n' });
    const json = await runMain(['tasks', '--all', '--api', 'velostrata', '--json'], sim.env());
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});
