// `npm run bench`: the loop speed and per-request cost claims, measured against the obvious
// alternatives in the same run. Prints a table and writes bench/results.json.
//   npm run bench              full run (a few minutes); the only way bench/results.json changes
//   npm run bench -- --quick   small counts, one repetition: keeps the script working (smoke test);
//                              its figures mean nothing, so they go to a temporary file and no target is judged
//   npm run bench -- --scale 50   only the monorepo-at-scale rows (scripts/bench/fifty-apis.ts), in bench/results-scale.json
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repo } from '@vmtasks/spec-toolchain/test-workspace';
import { cliStartup } from './bench/cli.js';
import { clientCost } from './bench/client.js';
import { contractSuite } from './bench/contract.js';
import { mockStartup, mockThroughput } from './bench/mock.js';
import { fiftyApis } from './bench/fifty-apis.js';
import { pollCost } from './bench/poll-cost.js';
import { generateCommand, regenerateLoop } from './bench/regenerate.js';
import { scale } from './bench/scale.js';
import { serveScale } from './bench/serve.js';
import { sharedWaitCost } from './bench/shared-waits.js';
import { simulatorThroughput } from './bench/simulator.js';
import { formatTable, type Row } from './bench/stats.js';
import { watchScale } from './bench/watch.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    scale: { type: 'string' },
  },
});
const quick = values.quick;
const scaleApis = values.scale === undefined ? undefined : Number(values.scale);
if (scaleApis !== undefined && !(Number.isInteger(scaleApis) && scaleApis >= 3 && scaleApis <= 500)) {
  // Written and flushed before exiting: process.exit() right after a write to a pipe loses it.
  await new Promise((resolve) =>
    process.stderr.write(`bench: --scale takes a number of APIs from 3 to 500, not "${values.scale}"\n`, resolve),
  );
  process.exit(2);
}
const out =
  values.out ??
  (quick
    ? path.join(os.tmpdir(), `vmtasks-bench-quick-${process.pid}.json`)
    : path.join(repo, scaleApis === undefined ? 'bench/results.json' : 'bench/results-scale.json'));
const plan = {
  saves: quick ? 2 : 10,
  generateReps: quick ? 1 : 10,
  requests: quick ? 300 : 5_000,
  rounds: quick ? 2 : 5,
  heapBatches: quick ? 3 : 6,
  heapRounds: quick ? 1 : 3,
  startupReps: quick ? 1 : 3,
  throughputSeconds: quick ? 0.5 : 3,
  throughputReps: quick ? 1 : 3,
  simulatorSeconds: quick ? 0.5 : 2,
  simulatorReps: quick ? 1 : 6,
  contractReps: quick ? 1 : 3,
  operations: quick ? 100 : 1_000,
  scaleReps: quick ? 1 : 3,
  // Each repetition of --scale 50 runs the whole spec pipeline of 50 APIs cold, twice.
  scaleApisReps: 1,
  watchedTasks: quick ? 2_000 : 10_000,
  watchPolls: quick ? 3 : 20,
  watchRounds: quick ? 1 : 7,
  cliReps: quick ? 1 : 10,
  pollTasks: 1_000,
  pollReps: quick ? 2 : 15,
  serveAppliances: quick ? 4 : 100,
  serveTasks: quick ? 20 : 500,
  serveReps: quick ? 1 : 5,
  servePollMs: quick ? 1_000 : 5_000,
  sharedWaits: quick ? [1, 100, 1_000] : [1, 100, 1_000, 10_000],
  sharedWaitRounds: quick ? 2 : 5,
  sharedWaitReferenceUpTo: quick ? 100 : 1_000,
};

const steps: [string, () => Promise<Row[]>][] = [
  ['regenerate', () => regenerateLoop(plan.saves)],
  ['generate', () => generateCommand(plan.generateReps)],
  ['client', () => clientCost(plan.requests, plan.rounds, plan.heapBatches, plan.heapRounds)],
  ['mock', async () => [...(await mockStartup(plan.startupReps)), ...(await mockThroughput(plan.throughputSeconds, plan.throughputReps))]],
  ['contract', () => contractSuite(plan.contractReps)],
  ['scale', () => scale(plan.operations, plan.scaleReps)],
  ['simulator', () => simulatorThroughput(plan.simulatorSeconds, plan.simulatorReps)],
  ['watch', () => watchScale(plan.watchedTasks, plan.watchPolls, plan.watchRounds)],
  ['cli', () => cliStartup(plan.cliReps)],
  ['poll-cost', () => pollCost(plan.pollTasks, plan.pollReps)],
  ['serve', () => serveScale(plan.serveAppliances, plan.serveTasks, plan.serveReps, plan.servePollMs)],
  ['shared-waits', () => sharedWaitCost(plan.sharedWaits, plan.sharedWaitRounds, plan.sharedWaitReferenceUpTo)],
];

// What the figures were measured on: a loaded machine gives other figures (and the ratios, taken
// within the same run, move least).
const loadAverage = (): number[] => os.loadavg().map((load) => Math.round(load * 100) / 100);
const machine = {
  cpuModel: os.cpus()[0]?.model,
  cpus: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
  loadAverageBefore: loadAverage(),
  loadAverageAfter: [] as number[],
};
process.stderr.write(
  `bench: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverageBefore.join(' ')} (1, 5, 15 min)\n`,
);
if ((machine.loadAverageBefore[0] ?? 0) > machine.cpus / 2) {
  process.stderr.write('bench: the machine is busy; absolute figures will be slower than on a quiet one (read the ratios)\n');
}

const rows: Row[] = [];
if (scaleApis !== undefined) steps.splice(0, steps.length, ['scale-apis', () => fiftyApis(scaleApis, plan.scaleApisReps, plan.saves)]);
for (const [name, step] of steps) {
  if (values.only && !values.only.split(',').includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await step()));
}

machine.loadAverageAfter = loadAverage();

const table = formatTable(rows, { smoke: quick });
console.log(`\n${table}\n`);
const missed = rows.filter((r) => r.met === false);
if (quick) console.log('quick run: small counts, one repetition — a smoke test of the script, not a measurement; targets not judged');
else if (missed.length > 0) console.log(`targets missed: ${missed.map((r) => r.id).join(', ')}`);

await mkdir(path.dirname(out), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify(
    {
      command: `npm run bench${quick || scaleApis !== undefined ? ' --' : ''}${quick ? ' --quick' : ''}${scaleApis === undefined ? '' : ` --scale ${scaleApis}`}`,
      date: new Date().toISOString(),
      node: process.version,
      machine,
      quick,
      plan,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`results written to ${quick ? out : path.relative(process.cwd(), out)}`);
