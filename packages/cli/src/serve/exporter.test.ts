// The exporter over simulated appliances (manual clock): what /metrics says equals what the
// simulator holds, one appliance down does not stop the others, restarts do not count twice,
// and hostile label values cannot break the format.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { isTerminalTaskState, TASK_STATES } from '@vmtasks/core';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, fleetApis, scrape, simulatedTasks, total, type Sample } from '../../test/exporter-support.js';
import type { TaskApi } from '../sources.js';
import { startExporter, type Exporter } from './exporter.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const sim = await startSimulator({ clock: 'manual', retentionMs: 86_400_000, ...options });
  cleanups.push(() => sim.stop());
  return sim;
}

async function exporter(apis: TaskApi[], options: { stateFile?: string; maxTaskSeries?: number } = {}): Promise<Exporter> {
  const started = await startExporter(apis, {
    listen: { host: '127.0.0.1', port: 0 },
    maxTaskSeries: options.maxTaskSeries ?? 1_000,
    stateFile: options.stateFile,
    minIntervalMs: 50,
    maxIntervalMs: 200,
    onStateWriteError: (error) => {
      throw error;
    },
  });
  cleanups.push(async () => {
    await started.stop();
    await Promise.allSettled(apis.map((api) => api.close()));
  });
  return started;
}

/** Per appliance and state, what the simulators list now. */
function expectedCounts(fleet: Record<string, Simulator>): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const [name, sim] of Object.entries(fleet)) {
    for (const [appliance, tasks] of Object.entries(simulatedTasks(name, sim))) {
      counts[appliance] = Object.fromEntries(TASK_STATES.map((state) => [state, tasks.filter((task) => task.state === state).length]));
    }
  }
  return counts;
}

function exportedCounts(samples: readonly Sample[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const sample of samples) {
    if (sample.name !== 'vmtasks_tasks') continue;
    const appliance = sample.labels['appliance']!;
    counts[appliance] = { ...counts[appliance], [sample.labels['state']!]: sample.value };
  }
  return counts;
}

/** Finished tasks the simulators list, by appliance. */
function finishedCount(fleet: Record<string, Simulator>): number {
  return Object.entries(fleet)
    .flatMap(([name, sim]) => Object.values(simulatedTasks(name, sim)).flat())
    .filter((task) => isTerminalTaskState(task.state)).length;
}

/** Waits until the exporter's gauges equal what the simulators list (the watches have caught up). */
async function caughtUp(url: string, fleet: Record<string, Simulator>): Promise<Sample[]> {
  return eventually(async () => {
    const { samples } = await scrape(url);
    expect(exportedCounts(samples)).toEqual(expectedCounts(fleet));
    return samples;
  });
}

describe('vmtasks serve: the exporter', () => {
  it('exports what the simulator holds: tasks per state (all eight), finishes, up, last poll', async () => {
    const fleet = { a: await simulator({ seed: 3 }) };
    const { url } = await exporter(fleetApis(fleet));
    let samples = await caughtUp(url, fleet);
    expect(samples.filter((sample) => sample.name === 'vmtasks_tasks')).toHaveLength(2 * 8);
    expect(total(samples, 'vmtasks_up')).toBe(2);
    expect(total(samples, 'vmtasks_tasks_finished_total')).toBe(finishedCount(fleet));
    const lastPoll = samples.filter((sample) => sample.name === 'vmtasks_last_successful_poll_timestamp_seconds');
    expect(lastPoll).toHaveLength(2);
    for (const sample of lastPoll) expect(Math.abs(sample.value - Date.now() / 1000)).toBeLessThan(600);

    await fleet.a.advance(20 * 60_000);
    samples = await caughtUp(url, fleet);
    const finished = finishedCount(fleet);
    expect(finished).toBeGreaterThan(0);
    expect(total(samples, 'vmtasks_tasks_finished_total')).toBe(finished);
    expect(total(samples, 'vmtasks_task_duration_seconds_count')).toBeGreaterThan(0);
  });

  it('keeps the other appliances counted when one is stopped or refuses the credentials', async () => {
    const fleet = { a: await simulator({ seed: 3 }), b: await simulator({ seed: 4 }), c: await simulator({ seed: 5 }) };
    const { url } = await exporter(fleetApis(fleet));
    await caughtUp(url, fleet);
    await fleet.a.stop();
    fleet.b.velostrata.injectFault({ kind: 'unauthenticated' }, 1_000_000);
    await fleet.c.advance(20 * 60_000);
    const samples = await eventually(async () => {
      const { samples } = await scrape(url);
      expect(total(samples, 'vmtasks_up', { appliance: 'a-velostrata' })).toBe(0);
      expect(total(samples, 'vmtasks_up', { appliance: 'a-snapservice' })).toBe(0);
      expect(total(samples, 'vmtasks_up', { appliance: 'b-velostrata' })).toBe(0);
      expect(total(samples, 'vmtasks_up', { appliance: 'b-snapservice' })).toBe(1);
      expect(total(samples, 'vmtasks_up', { appliance: 'c-velostrata' })).toBe(1);
      expect(total(samples, 'vmtasks_poll_errors_total', { appliance: 'b-velostrata', kind: 'credentials' })).toBeGreaterThan(0);
      expect(total(samples, 'vmtasks_poll_errors_total', { appliance: 'a-velostrata', kind: 'unreachable' })).toBeGreaterThan(0);
      const counts = exportedCounts(samples);
      expect({ 'c-velostrata': counts['c-velostrata'], 'c-snapservice': counts['c-snapservice'] }).toEqual(expectedCounts({ c: fleet.c }));
      return samples;
    });
    expect(total(samples, 'vmtasks_tasks_finished_total', { appliance: 'c-velostrata' })).toBeGreaterThan(0);
    // Every poll-error kind is there from the start, at 0 when it never happened.
    expect(
      samples.filter((sample) => sample.name === 'vmtasks_poll_errors_total' && sample.labels['appliance'] === 'c-velostrata'),
    ).toHaveLength(8);
  });

  it('does not count a finish twice across a restart with --state', async () => {
    const fleet = { a: await simulator({ seed: 3 }) };
    const dir = await mkdtemp(path.join(tmpdir(), 'vmtasks-serve-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const stateFile = path.join(dir, 'serve-state.json');

    const first = await exporter(fleetApis(fleet), { stateFile });
    await fleet.a.advance(10 * 60_000);
    const before = total(await caughtUp(first.url, fleet), 'vmtasks_tasks_finished_total');
    expect(before).toBe(finishedCount(fleet));
    expect(before).toBeGreaterThan(0);
    await first.stop();
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ version: 1 });

    // The same tasks still listed, finished: the restarted exporter has counted nothing yet…
    const second = await exporter(fleetApis(fleet), { stateFile });
    expect(total(await caughtUp(second.url, fleet), 'vmtasks_tasks_finished_total')).toBe(0);
    // …and counts only what finishes from now on.
    await fleet.a.advance(30 * 60_000);
    const after = total(await caughtUp(second.url, fleet), 'vmtasks_tasks_finished_total');
    expect(after).toBeGreaterThan(0);
    expect(before + after).toBe(finishedCount(fleet));

    // Without the state file, a restart counts every finished task listed again.
    const forgetful = await exporter(fleetApis(fleet));
    expect(total(await caughtUp(forgetful.url, fleet), 'vmtasks_tasks_finished_total')).toBe(finishedCount(fleet));
  });

  it('keeps hostile task ids and kinds inside the format: escaped, made visible, bounded', async () => {
    const fleet = { a: await simulator({ scenario: 'empty' }) };
    const hostileId = `evil"} 1\n# EOF\nvmtasks_up{appliance="forged"} 1\\\u001b[31m\u202e\r${'x'.repeat(5_000)}`;
    fleet.a.velostrata.addTask({ id: hostileId, taskType: 'Migr"ation\n\u0007\\', steps: [{ state: 'Running', progress: 40 }] });
    for (let i = 0; i < 100; i++)
      fleet.a.velostrata.addTask({ id: `kind-${i}`, taskType: `Invented${i}`, steps: [{ state: 'Running', progress: 10 }] });
    const { url } = await exporter(fleetApis(fleet));
    for (const accept of [undefined, 'application/openmetrics-text;version=1.0.0']) {
      const { text, samples } = await eventually(async () => {
        const scraped = await scrape(url, accept);
        expect(total(scraped.samples, 'vmtasks_tasks', { appliance: 'a-velostrata', state: 'running' })).toBe(101);
        return scraped;
      });
      // Nothing but the line feeds between samples is a control or invisible character.
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e]/);
      expect(samples.filter((sample) => sample.name === 'vmtasks_up').map((sample) => sample.labels['appliance'])).toEqual([
        'a-velostrata',
        'a-snapservice',
      ]);
      const progress = samples.filter((sample) => sample.name === 'vmtasks_task_progress_ratio');
      expect(progress).toHaveLength(101);
      const evil = progress.find((sample) => sample.labels['task_id']!.startsWith('evil'))!;
      const shown = 'evil"} 1^J# EOF^Jvmtasks_up{appliance="forged"} 1\\^[[31m<U+202E>^M';
      expect(evil.labels['task_id']).toBe(`${shown}${'x'.repeat(127 - shown.length)}…`);
      expect(evil.labels['kind']).toBe('Migr"ation^J^G\\');
      expect(evil.value).toBe(0.4);
      for (const sample of samples)
        for (const value of Object.values(sample.labels)) expect(Array.from(value).length).toBeLessThanOrEqual(128);
      // A server inventing kinds gets 64 of them, then `other`.
      expect(new Set(progress.map((sample) => sample.labels['kind'])).size).toBe(64 + 1);
    }
  });

  it('caps the per-task series and says how many were left out', async () => {
    const fleet = { a: await simulator({ scenario: 'empty' }) };
    for (let i = 0; i < 7; i++) fleet.a.velostrata.addTask({ id: `t-${i}`, steps: [{ state: 'Running', progress: 10 * i }] });
    const { url } = await exporter(fleetApis(fleet), { maxTaskSeries: 3 });
    const samples = await eventually(async () => {
      const { samples } = await scrape(url);
      expect(total(samples, 'vmtasks_tasks', { state: 'running' })).toBe(7);
      return samples;
    });
    expect(samples.filter((sample) => sample.name === 'vmtasks_task_progress_ratio')).toHaveLength(3);
    expect(total(samples, 'vmtasks_task_series_dropped')).toBe(4);
    expect(total(samples, 'vmtasks_task_series_limit')).toBe(3);
  });

  it('answers OpenMetrics when asked, and the text format after it with counters still named *_total', async () => {
    const fleet = { a: await simulator({ seed: 3 }) };
    const { url } = await exporter(fleetApis(fleet));
    await caughtUp(url, fleet);
    const open = await scrape(url, 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1');
    expect(open.contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(open.text).toMatch(/# TYPE vmtasks_tasks_finished counter\n/);
    expect(open.text.endsWith('# EOF\n')).toBe(true);
    const plain = await scrape(url, 'text/plain;version=0.0.4');
    expect(plain.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(plain.text).toMatch(/# TYPE vmtasks_tasks_finished_total counter\n/);
    expect(plain.samples.some((sample) => sample.name === 'vmtasks_poll_errors_total')).toBe(true);
    const health = await fetch(`${url}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });

  it('watches a fleet of more than ten appliances without a listener-leak warning', async () => {
    const sim = await simulator({ seed: 3 });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    cleanups.push(async () => void process.off('warning', onWarning));
    const fleet = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`s${i}`, sim]));
    const { url } = await exporter(fleetApis(fleet));
    await eventually(async () => expect(total((await scrape(url)).samples, 'vmtasks_up')).toBe(16));
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
