// The exporter scraped by a real Prometheus: PromQL through Prometheus's HTTP API equals what the
// simulated fleet holds, as its clock advances and when one appliance stops.
import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { isTerminalTaskState, TASK_STATES } from '@vmtasks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExporter, type Exporter } from '../src/serve/exporter.js';
import type { TaskApi } from '../src/sources.js';
import { eventually, fleetApis, simulatedTasks } from './exporter-support.js';
import { startPrometheus, type PromSample, type RunningPrometheus } from './prometheus.js';

let fleet: Record<'a' | 'b', Simulator>;
let apis: TaskApi[];
let exporter: Exporter;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  fleet = {
    a: await startSimulator({ clock: 'manual', seed: 11, retentionMs: 86_400_000 }),
    b: await startSimulator({ clock: 'manual', seed: 12, retentionMs: 86_400_000 }),
  };
  apis = fleetApis(fleet);
  exporter = await startExporter(apis, {
    listen: { host: '127.0.0.1', port: 0 },
    maxTaskSeries: 1_000,
    stateFile: undefined,
    minIntervalMs: 100,
    maxIntervalMs: 500,
    onStateWriteError: () => undefined,
  });
  prometheus = await startPrometheus(new URL(exporter.url).host);
});

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.stop();
  await Promise.allSettled((apis ?? []).map((api) => api.close()));
  await Promise.allSettled(Object.values(fleet ?? {}).map((sim) => sim.stop()));
});

/** `{ label value: sample value }` of a query by one label, zeros left out (absent and 0 are the same to a sum). */
function byLabel(samples: readonly PromSample[], label: string): Record<string, number> {
  return Object.fromEntries(samples.filter((sample) => sample.value !== 0).map((sample) => [sample.metric[label] ?? '', sample.value]));
}

/** What the simulators in `names` hold, by normalized state, zeros left out. */
function heldByState(names: readonly ('a' | 'b')[]): Record<string, number> {
  const tasks = names.flatMap((name) => Object.values(simulatedTasks(name, fleet[name])).flat());
  return Object.fromEntries(
    TASK_STATES.map((state) => [state, tasks.filter((task) => task.state === state).length] as const).filter(([, count]) => count > 0),
  );
}

function finishedByState(names: readonly ('a' | 'b')[]): Record<string, number> {
  const held = heldByState(names);
  return Object.fromEntries(Object.entries(held).filter(([state]) => isTerminalTaskState(state as (typeof TASK_STATES)[number])));
}

/** Waits until Prometheus's `sum by (state) (vmtasks_tasks{…})` equals what the simulators hold. */
async function scrapedEqualsHeld(names: readonly ('a' | 'b')[], selector = ''): Promise<void> {
  await eventually(
    async () => {
      expect(byLabel(await prometheus.query(`sum by (state) (vmtasks_tasks${selector})`), 'state')).toEqual(heldByState(names));
    },
    120_000,
    200,
  );
}

describe('vmtasks serve scraped by a real Prometheus', () => {
  it('reports the tasks per state, up, and the finishes (increase) the simulators hold', async () => {
    // At the start of the wave nothing has finished: every finish below happens while scraped.
    expect(finishedByState(['a', 'b'])).toEqual({});
    await scrapedEqualsHeld(['a', 'b']);
    expect(byLabel(await prometheus.query('vmtasks_up'), 'appliance')).toEqual({
      'a-velostrata': 1,
      'a-snapservice': 1,
      'b-velostrata': 1,
      'b-snapservice': 1,
    });

    // Time moves in steps shorter than any task of the wave, each scraped before the next, as
    // real time would: every task is seen running before it finishes, so its kind's finish
    // series exists (at 0) before its first finish (a series born at 1 is invisible to increase()).
    for (let step = 0; step < 30; step++) {
      await Promise.all([fleet.a.advance(30_000), fleet.b.advance(30_000)]);
      await scrapedEqualsHeld(['a', 'b']);
    }
    const finished = finishedByState(['a', 'b']);
    expect(Object.keys(finished).length).toBeGreaterThan(0);
    // Asked at the last scrape's time: increase() is then not extrapolated past it, and a finish
    // series starts at 0 (made when its kind was first seen running), so none before it either.
    await eventually(
      async () => {
        const [last] = await prometheus.query('max(timestamp(vmtasks_up))');
        const increase = await prometheus.query('sum by (state) (increase(vmtasks_tasks_finished_total[1h]))', last!.value);
        expect(byLabel(increase, 'state')).toEqual(finished);
      },
      120_000,
      200,
    );
  });

  it('shows a stopped appliance as down while the others are still counted', async () => {
    await fleet.b.stop();
    await eventually(
      async () => {
        expect(byLabel(await prometheus.query('vmtasks_up'), 'appliance')).toEqual({ 'a-velostrata': 1, 'a-snapservice': 1 });
        expect((await prometheus.query('vmtasks_up == 0')).map((sample) => sample.metric['appliance']).sort()).toEqual([
          'b-snapservice',
          'b-velostrata',
        ]);
      },
      120_000,
      200,
    );
    await fleet.a.advance(30 * 60_000);
    await scrapedEqualsHeld(['a'], '{appliance=~"a-.*"}');
    const errors = await prometheus.query('sum by (appliance) (vmtasks_poll_errors_total{appliance=~"b-.*"}) > 0');
    expect(errors.map((sample) => sample.metric['appliance']).sort()).toEqual(['b-snapservice', 'b-velostrata']);
  });
});
