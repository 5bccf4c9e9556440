// `npm run bench`: the loop speed and per-request cost claims, measured against the obvious
// alternatives in the same run. Prints a table and writes bench/results.json.
//   npm run bench              full run (a few minutes); the only way bench/results.json changes
//   npm run bench -- --quick   small counts, one repetition: keeps the script working (smoke test);
//                              its figures mean nothing, so they go to a temporary file and no target is judged
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repo } from '@vmtasks/spec-toolchain';
import { cliStartup } from './bench/cli.js';
import { clientCost } from './bench/client.js';
import { contractSuite } from './bench/contract.js';
import { mockStartup, mockThroughput } from './bench/mock.js';
import { pollCost } from './bench/poll-cost.js';
import { generateCommand, regenerateLoop } from './bench/regenerate.js';
import { scale } from './bench/scale.js';
import { simulatorThroughput } from './bench/simulator.js';
import { formatTable, type Row } from './bench/stats.js';
import { watchScale } from './bench/watch.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = values.quick;
const out =
  values.out ?? (quick ? path.join(os.tmpdir(), `vmtasks-bench-quick-${process.pid}.json`) : path.join(repo, 'bench/results.json'));
const plan = {
  saves: quick ? 2 : 10,
  generateReps: quick ? 1 : 10,
  requests: quick ? 300 : 5_000,
  rounds: quick ? 2 : 5,
  startupReps: quick ? 1 : 3,
  throughputSeconds: quick ? 0.5 : 3,
  throughputReps: quick ? 1 : 3,
  contractReps: quick ? 1 : 3,
  operations: quick ? 100 : 1_000,
  scaleReps: quick ? 1 : 3,
  watchedTasks: quick ? 2_000 : 10_000,
  watchPolls: quick ? 3 : 20,
  cliReps: quick ? 1 : 10,
  pollTasks: 1_000,
  pollReps: quick ? 2 : 15,
};

const steps: [string, () => Promise<Row[]>][] = [
  ['regenerate', () => regenerateLoop(plan.saves)],
  ['generate', () => generateCommand(plan.generateReps)],
  ['client', () => clientCost(plan.requests, plan.rounds)],
  ['mock', async () => [...(await mockStartup(plan.startupReps)), ...(await mockThroughput(plan.throughputSeconds, plan.throughputReps))]],
  ['contract', () => contractSuite(plan.contractReps)],
  ['scale', () => scale(plan.operations, plan.scaleReps)],
  ['simulator', () => simulatorThroughput(plan.throughputSeconds, plan.throughputReps)],
  ['watch', () => watchScale(plan.watchedTasks, plan.watchPolls)],
  ['cli', () => cliStartup(plan.cliReps)],
  ['poll-cost', () => pollCost(plan.pollTasks, plan.pollReps)],
];

const rows: Row[] = [];
for (const [name, step] of steps) {
  if (values.only && !values.only.split(',').includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await step()));
}

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
      command: `npm run bench${quick ? ' -- --quick' : ''}`,
      date: new Date().toISOString(),
      node: process.version,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
      quick,
      plan,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`results written to ${quick ? out : path.relative(process.cwd(), out)}`);
