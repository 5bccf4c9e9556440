import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SNAPSERVICE_SERVICES, startSimulator, type Simulator, type SnapserviceStep, type VelostrataStep } from '@vmtasks/simulator';
import { median, row, type Row } from './stats.js';

interface Stats {
  rssMiB: number;
  heapMiB: number;
  cpu: NodeJS.CpuUsage;
  rounds: number;
}

/** A task that starts within the first minute and moves every 20–40 s for about ten minutes. */
function velostrataSteps(n: number): VelostrataStep[] {
  const pace = 20_000 + (n % 3) * 10_000;
  const steps: VelostrataStep[] = [{ state: 'Running', progress: 0 }];
  for (let percent = 0; percent <= 100; percent += 5)
    steps.push({ afterMs: percent === 0 ? (n % 60) * 1_000 : pace, state: 'Running', progress: percent });
  steps.push({ afterMs: pace, state: n % 23 === 0 ? 'Failed' : 'Succeeded', progress: 100 });
  return steps;
}

function snapserviceSteps(n: number): SnapserviceStep[] {
  const pace = 20_000 + (n % 3) * 10_000;
  const steps: SnapserviceStep[] = [{ status: 'PENDING' }];
  for (let done = 0; done <= 20; done++)
    steps.push({ afterMs: done === 0 ? (n % 60) * 1_000 : pace, status: 'RUNNING', progress: { total: 20, completed: done } });
  steps.push({ afterMs: pace, status: n % 19 === 0 ? 'FAILED' : 'SUCCEEDED' });
  return steps;
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(message as string);
  });
}

async function scrapeTotals(url: string): Promise<{ tasks: number; up: number; ms: number }> {
  const started = performance.now();
  const text = await (await fetch(`${url}/metrics`)).text();
  const ms = performance.now() - started;
  let tasks = 0;
  let up = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('vmtasks_tasks{')) tasks += Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith('vmtasks_up{')) up += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return { tasks, up, ms };
}

/**
 * Rows 13–15: `vmtasks serve` over `appliances` simulated appliances (half Velostrata, half
 * snapservice) of `tasksEach` moving tasks each, polled every `pollMs` (5 s): the exporter's resident memory,
 * the time to answer `/metrics`, and the CPU time it spends per poll round of every appliance.
 */
export async function serveScale(appliances: number, tasksEach: number, reps: number, pollMs: number): Promise<Row[]> {
  const sims: Simulator[] = [];
  let child: ChildProcess | undefined;
  try {
    for (let i = 0; i < appliances / 2; i++) {
      const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: i + 1, retentionMs: 60 * 60_000 });
      sims.push(sim);
      for (let n = 0; n < tasksEach; n++) {
        sim.velostrata.addTask({ steps: velostrataSteps(n) });
        sim.snapservice.addTask({ steps: snapserviceSteps(n) });
      }
      await sim.advance(60_000);
    }
    child = fork(fileURLToPath(new URL('serve-exporter.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const started = await ask<{ url: string }>(child, {
      appliances: sims.map((sim, i) => ({ name: `sim${i}`, env: { ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') } })),
      intervalMs: pollMs,
    });
    // Every appliance answered and every task is counted: the watches are in their steady state.
    for (;;) {
      const totals = await scrapeTotals(started.url);
      if (totals.up === appliances && totals.tasks === appliances * tasksEach) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const rss: number[] = [];
    const heap: number[] = [];
    const metricsMs: number[] = [];
    const cpuMs: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const before = await ask<Stats>(child, 'stats');
      // Three rounds of polls, the tasks moving between them (the clock advanced as each round starts).
      let after = before;
      while (after.rounds < before.rounds + 3) {
        await Promise.all(sims.map((sim) => sim.advance(5_000)));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        after = await ask<Stats>(child, 'stats');
      }
      const cpu = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
      cpuMs.push(cpu / (after.rounds - before.rounds));
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) answers.push((await ask<{ ms: number }>(child, 'scrape')).ms);
      metricsMs.push(median(answers));
      const memory = await ask<Stats>(child, 'stats');
      rss.push(memory.rssMiB);
      heap.push(memory.heapMiB);
    }
    const scale = `${appliances} appliances × ${tasksEach} tasks`;
    return [
      row('serve-rss', `vmtasks serve: resident memory (${scale})`, 'MiB', rss, { max: 256, text: '≤ 256 MiB' }),
      row('serve-heap', `vmtasks serve: V8 heap used (${scale})`, 'MiB', heap),
      row(
        'serve-metrics',
        `vmtasks serve: /metrics answer time (${scale})`,
        'ms',
        metricsMs,
        { max: 250, text: '≤ 250 ms' },
        'GET /metrics from within the exporter process, median of 5 per sample, while it polls',
      ),
      row(
        'serve-cpu',
        `vmtasks serve: CPU per poll round of all ${appliances} appliances`,
        'ms',
        cpuMs,
        undefined,
        `user + system time of the exporter process over three ${pollMs / 1000} s poll rounds, divided by the rounds`,
      ),
    ];
  } finally {
    child?.disconnect();
    await Promise.allSettled(sims.map((sim) => sim.stop()));
  }
}
