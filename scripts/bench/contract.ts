import path from 'node:path';
import { loadRegistry } from '@vmtasks/spec-toolchain';
import { packageOf, repo } from '@vmtasks/spec-toolchain/test-workspace';
import { mustRun } from './processes.js';
import { row, type Row } from './stats.js';

/** Row 5: wall time of every API's contract suite, run side by side as turbo runs them. */
export async function contractSuite(reps: number): Promise<Row[]> {
  const vitest = path.join(repo, 'node_modules/.bin/vitest');
  const packages = (await loadRegistry(path.join(repo, 'redocly.yaml'))).apis.map((api) => packageOf(api.output));
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    // --reporter=default: a benchmark run must not overwrite the suites' JUnit reports.
    const started = performance.now();
    await Promise.all(
      packages.map((cwd) => mustRun(vitest, ['run', '--config', 'vitest.contract.config.ts', '--reporter=default'], { cwd })),
    );
    samples.push(performance.now() - started);
  }
  return [row('contract-suite', '5. contract suites, every API (wall)', 'ms', samples, { max: 10_000, text: '≤ 10 s' })];
}
