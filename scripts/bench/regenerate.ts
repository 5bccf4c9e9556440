import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadRegistry, type ApiEntry } from '@vmtasks/spec-toolchain';
import { copyWorkspace, repo, startWatch } from '@vmtasks/spec-toolchain/test-workspace';
import { mustRun, mustRunCounted } from './processes.js';
import { row, type Row } from './stats.js';

/** Row 1: in watch mode, save a one-line spec change → generated types updated. */
export async function regenerateLoop(saves: number): Promise<Row[]> {
  const workspace = await copyWorkspace();
  const watch = await startWatch(workspace.dir);
  try {
    const rows: Row[] = [];
    for (const { name: api, root } of (await loadRegistry(path.join(workspace.dir, 'redocly.yaml'))).apis) {
      const spec = root;
      const original = await readFile(spec, 'utf8');
      const samples: number[] = [];
      // The first one-line description of a schema property: it lands in the generated JSDoc, so
      // every save changes the output.
      const line = / {8,}description: [A-Za-z][^#:\n]*$/m.exec(original.slice(original.indexOf('\n  schemas:')))?.[0];
      if (!line) throw new Error(`${api}: no schema property description to edit`);
      // One warm-up save, then the measured ones; each changes that one line.
      for (let i = 0; i <= saves; i++) {
        const from = watch.mark();
        const started = performance.now();
        await writeFile(spec, original.replace(line, `${line} (edit ${i})`));
        await watch.waitFor(new RegExp(`${api}: spec changed → \\S+ updated`), from);
        if (i > 0) samples.push(performance.now() - started);
      }
      await writeFile(spec, original);
      rows.push(row(`regenerate-${api}`, `1. watch: save → types updated (${api})`, 'ms', samples, { max: 100, text: '≤ 100 ms' }));
    }
    return rows;
  } finally {
    await watch.stop();
    await workspace.remove();
  }
}

/** The registry's largest spec: the reference run of the bare openapi-typescript CLI generates it. */
async function largestSpec(): Promise<ApiEntry> {
  const apis = (await loadRegistry(path.join(repo, 'redocly.yaml'))).apis;
  const sizes = await Promise.all(apis.map(async (api) => (await stat(api.root)).size));
  const largest = apis[sizes.indexOf(Math.max(...sizes))];
  if (!largest) throw new Error('redocly.yaml lists no API');
  return largest;
}

/**
 * Row 2: `npm run generate` cold (no turbo cache; lint + generate of every API) and no-op (full
 * cache hit), each cold run next to the bare openapi-typescript CLI generating one spec from a
 * folder without redocly.yaml (from the root it would read the registry and generate them all).
 */
export async function generateCommand(reps: number): Promise<Row[]> {
  const workspace = await copyWorkspace();
  try {
    const { dir } = workspace;
    await mustRun('git', ['init', '-q'], { cwd: dir });
    await mustRun('git', ['add', '-A'], { cwd: dir });
    await mustRun('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'bench'], { cwd: dir });
    const reference = await largestSpec();
    const bareDir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-bare-'));
    const bareCli = path.join(repo, 'node_modules/.bin/openapi-typescript');
    const cold: number[] = [];
    const bare: number[] = [];
    const ratio: number[] = [];
    const cpuRatio: number[] = [];
    const coldCpu: number[] = [];
    const bareCpu: number[] = [];
    const noop: number[] = [];
    const turboNoop: number[] = [];
    for (let i = 0; i < reps; i++) {
      await rm(path.join(dir, '.turbo'), { recursive: true, force: true });
      // Alternating, in the order of i, so drifting load falls on both sides.
      const runOurs = () => mustRunCounted('npm', ['run', 'generate'], { cwd: dir });
      const runTheirs = () => mustRunCounted(bareCli, [reference.root, '-o', path.join(bareDir, 'openapi.ts')], { cwd: bareDir });
      let ours: Awaited<ReturnType<typeof runOurs>>;
      let theirs: Awaited<ReturnType<typeof runTheirs>>;
      if (i % 2 === 0) {
        ours = await runOurs();
        theirs = await runTheirs();
      } else {
        theirs = await runTheirs();
        ours = await runOurs();
      }
      cold.push(ours.ms);
      bare.push(theirs.ms);
      ratio.push(ours.ms / theirs.ms);
      coldCpu.push(ours.cpuMs);
      bareCpu.push(theirs.cpuMs);
      cpuRatio.push(ours.cpuMs / theirs.cpuMs);
      const hit = await mustRun('npm', ['run', 'generate'], { cwd: dir });
      if (!hit.stdout.includes('FULL TURBO')) throw new Error(`second run was not a full cache hit:\n${hit.stdout}`);
      noop.push(hit.ms);
      turboNoop.push((await mustRun(path.join(repo, 'node_modules/.bin/turbo'), ['run', 'generate'], { cwd: dir })).ms);
    }
    await rm(bareDir, { recursive: true, force: true });
    return [
      row('generate-cold', '2. npm run generate, cold (lint + generate, every API)', 'ms', cold, { max: 2_000, text: '≤ 2 s' }),
      row(
        'generate-bare-cli',
        `2. bare openapi-typescript CLI, one spec (${reference.name}), no redocly.yaml`,
        'ms',
        bare,
        undefined,
        'reference for the ratio below',
      ),
      row('generate-cold-ratio', '2. cold npm run generate ÷ bare openapi-typescript CLI (same run)', '×', ratio, {
        max: 1,
        text: '≤ 1.0×',
      }),
      row('generate-cold-cpu', '2. npm run generate, cold: CPU time (user + sys, every process)', 'ms', coldCpu),
      row('generate-bare-cli-cpu', '2. bare openapi-typescript CLI: CPU time', 'ms', bareCpu),
      row('generate-cold-cpu-ratio', '2. cold npm run generate ÷ bare CLI, CPU time (same run)', '×', cpuRatio),
      row('generate-noop', '2. npm run generate, no-op (full turbo cache hit)', 'ms', noop, { max: 500, text: '≤ 0.5 s' }),
      row('generate-noop-turbo', '2. turbo run generate, no-op (without npm)', 'ms', turboNoop, { max: 500, text: '≤ 0.5 s' }),
    ];
  } finally {
    await workspace.remove();
  }
}
