import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyWorkspace, repo, startWatch } from '@vmtasks/spec-toolchain';
import { mustRun } from './processes.js';
import { row, type Row } from './stats.js';

/** Row 1: in watch mode, save a one-line spec change → generated types updated. */
export async function regenerateLoop(saves: number): Promise<Row[]> {
  const workspace = await copyWorkspace();
  const watch = await startWatch(workspace.dir);
  try {
    const rows: Row[] = [];
    // A property description of each spec: it lands in the generated JSDoc, so every save changes the output.
    const lines: Record<string, string> = {
      velostrata: 'description: Task progress',
      snapservice: 'description: Whether the task can be cancelled.',
    };
    for (const [api, line] of Object.entries(lines)) {
      const spec = path.join(workspace.dir, 'specs', api, 'openapi.yaml');
      const original = await readFile(spec, 'utf8');
      const samples: number[] = [];
      if (!original.includes(line)) throw new Error(`${api}: "${line}" is not in the spec any more`);
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

/** Row 2: `npm run generate` cold (no turbo cache) and no-op (full cache hit). */
export async function generateCommand(reps: number): Promise<Row[]> {
  const workspace = await copyWorkspace();
  try {
    const { dir } = workspace;
    await mustRun('git', ['init', '-q'], { cwd: dir });
    await mustRun('git', ['add', '-A'], { cwd: dir });
    await mustRun('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'bench'], { cwd: dir });
    const cold: number[] = [];
    const noop: number[] = [];
    const turboNoop: number[] = [];
    for (let i = 0; i < reps; i++) {
      await rm(path.join(dir, '.turbo'), { recursive: true, force: true });
      cold.push((await mustRun('npm', ['run', 'generate'], { cwd: dir })).ms);
      const hit = await mustRun('npm', ['run', 'generate'], { cwd: dir });
      if (!hit.stdout.includes('FULL TURBO')) throw new Error(`second run was not a full cache hit:\n${hit.stdout}`);
      noop.push(hit.ms);
      turboNoop.push((await mustRun(path.join(repo, 'node_modules/.bin/turbo'), ['run', 'generate'], { cwd: dir })).ms);
    }
    return [
      row('generate-cold', '2. npm run generate, cold (lint + generate, both APIs)', 'ms', cold, { max: 2_000, text: '≤ 2 s' }),
      row('generate-noop', '2. npm run generate, no-op (full turbo cache hit)', 'ms', noop, { max: 500, text: '≤ 0.5 s' }),
      row('generate-noop-turbo', '2. turbo run generate, no-op (without npm)', 'ms', turboNoop, { max: 500, text: '≤ 0.5 s' }),
    ];
  } finally {
    await workspace.remove();
  }
}
