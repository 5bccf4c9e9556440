// `npm run bench -- --scale 50`: the monorepo at N APIs. A fresh clone of this repository gets
// N − 2 more APIs through `add-api` (so each has its own package, turbo.json and cache entries),
// whose specs are then replaced by real shapes: copies of the two real specs under the new names,
// and one spec of 1,000 operations. Measured side by side in one run.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freshClone, remoteCacheEnv, snapshot, startRemoteCache } from '@vmtasks/remote-cache';
import { loadRegistry } from '@vmtasks/spec-toolchain';
import { repo, startWatch } from '@vmtasks/spec-toolchain/test-workspace';
import { mustRun, mustRunCounted } from './processes.js';
import { syntheticSpec } from './scale.js';
import { row, type Row } from './stats.js';

/** The tasks of the spec pipeline, what a fresh clone replays from the remote cache below. */
const SPEC_TASKS = ['generate', 'lint', 'check:generated'];

/** The real specs' text with their API's name (in paths, titles, descriptions) changed to `name`. */
function renamed(spec: string, from: string, name: string): string {
  return spec.replaceAll(from, name);
}

async function syntheticMonorepo(apis: number): Promise<{ dir: string; names: string[]; remove(): Promise<void> }> {
  const clone = await freshClone(repo, await snapshot(repo));
  const { dir } = clone;
  const real = (await loadRegistry(path.join(dir, 'redocly.yaml'))).apis;
  const shapes = await Promise.all(real.map(async (api) => ({ name: api.name, text: await readFile(api.root, 'utf8') })));
  const names: string[] = [];
  for (let i = 0; names.length + real.length < apis; i++) {
    const name = `api-${String(i + 1).padStart(2, '0')}`;
    process.stderr.write(`\rbench: add-api ${name} (${names.length + real.length + 1}/${apis})`);
    await mustRun('npm', ['run', 'add-api', '--', name, '--install', 'none'], { cwd: dir });
    // The first is the 1,000-operation spec; the others alternate between the real ones.
    const shape = shapes[i % shapes.length]!;
    const text = i === 0 ? await syntheticSpec(1_000) : renamed(shape.text, shape.name, name);
    await writeFile(path.join(dir, `specs/${name}/openapi.yaml`), text);
    names.push(name);
  }
  process.stderr.write('\n');
  return { dir, names, remove: clone.remove };
}

const rssKiB = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
};

/** Rows 9: N APIs. `reps` cold runs of each comparison; `saves` edits in dev mode. */
export async function fiftyApis(apis: number, reps: number, saves: number): Promise<Row[]> {
  const mono = await syntheticMonorepo(apis);
  const { dir, names } = mono;
  const label = `9. ${apis} APIs`;
  try {
    // Cold `npm run generate` (lint + generate, one turbo task per API) against the bare
    // openapi-typescript CLI, which reads redocly.yaml's apis and generates them all in one process.
    const cold: number[] = [];
    const bare: number[] = [];
    const ratio: number[] = [];
    const coldCpu: number[] = [];
    const bareCpu: number[] = [];
    for (let i = 0; i < reps; i++) {
      await rm(path.join(dir, '.turbo'), { recursive: true, force: true });
      const ours = await mustRunCounted('npm', ['run', 'generate'], { cwd: dir });
      const theirs = await mustRunCounted(path.join(repo, 'node_modules/.bin/openapi-typescript'), [], { cwd: dir });
      cold.push(ours.ms);
      bare.push(theirs.ms);
      ratio.push(ours.ms / theirs.ms);
      coldCpu.push(ours.cpuMs);
      bareCpu.push(theirs.cpuMs);
    }
    // The bare CLI wrote its own files over ours: turbo's cache puts ours back (the specs did not
    // change), and they are committed with the new APIs — turbo hashes what git tracks.
    await mustRun('npm', ['run', 'generate'], { cwd: dir });
    await mustRun('git', ['add', '-A'], { cwd: dir });
    await mustRun('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', `${apis} APIs`], { cwd: dir });

    // One spec edited → npm run generate (49 cache hits, one API linted and generated).
    const spec = path.join(dir, `specs/${names[1]}/openapi.yaml`);
    const output = path.join(dir, `packages/${names[1]}/src/generated/openapi.ts`);
    const original = await readFile(spec, 'utf8');
    const line = / {8,}description: [A-Za-z][^#:\n]*$/m.exec(original.slice(original.indexOf('\n  schemas:')))?.[0];
    if (!line) throw new Error(`${names[1]}: no schema property description to edit`);
    await mustRun('npm', ['run', 'generate'], { cwd: dir });
    const oneEdit: number[] = [];
    for (let i = 0; i < saves; i++) {
      await writeFile(spec, original.replace(line, `${line} (edit ${i})`));
      oneEdit.push((await mustRun('npm', ['run', 'generate'], { cwd: dir })).ms);
      if (!(await readFile(output, 'utf8')).includes(`(edit ${i})`)) throw new Error('the edit did not reach the generated types');
    }
    await mustRun('git', ['checkout', '--quiet', '--', '.'], { cwd: dir });

    // The spec pipeline cold, then in a fresh clone sharing a warm remote cache.
    const storage = path.join(dir, '.vmtasks-tmp/remote-cache');
    const server = await startRemoteCache(storage);
    const coldPipeline: number[] = [];
    const warmClone: number[] = [];
    try {
      const env = remoteCacheEnv(server, 'bench-signature-key');
      const args = ['run', ...SPEC_TASKS, '--cache=remote:rw', '--output-logs=errors-only'];
      for (let i = 0; i < reps; i++) {
        await rm(storage, { recursive: true, force: true });
        coldPipeline.push((await mustRun(path.join(dir, 'scripts/turbo'), args, { cwd: dir, env })).ms);
        const clone = await freshClone(dir, await snapshot(dir));
        try {
          const replay = await mustRun(path.join(clone.dir, 'scripts/turbo'), args, { cwd: clone.dir, env });
          if (!replay.stdout.includes('FULL TURBO'))
            throw new Error(`the fresh clone did not replay everything:\n${replay.stdout.slice(-2000)}`);
          warmClone.push(replay.ms);
        } finally {
          await clone.remove();
        }
      }
    } finally {
      await server.stop();
    }

    // `npm run dev` over every API: save → types, and the watcher's memory once it has seen them all.
    const watch = await startWatch(dir);
    const savesMs: number[] = [];
    let rssMiB = Number.NaN;
    try {
      for (let i = 0; i <= saves; i++) {
        const from = watch.mark();
        const started = performance.now();
        await writeFile(spec, original.replace(line, `${line} (save ${i})`));
        await watch.waitFor(new RegExp(`${names[1]}: spec changed → \\S+ updated`), from);
        if (i > 0) savesMs.push(performance.now() - started);
      }
      if (watch.pid !== undefined) rssMiB = (await rssKiB(watch.pid)) / 1024;
    } finally {
      await watch.stop();
      await writeFile(spec, original);
    }

    const shapes = `${apis - names.length} real, ${names.length - 1} copies of them, one of 1,000 operations`;
    return [
      row('apis-generate-cold', `${label}: npm run generate, cold (lint + generate each)`, 'ms', cold, undefined, shapes),
      row('apis-generate-bare', `${label}: bare openapi-typescript CLI, every API of redocly.yaml, no lint`, 'ms', bare),
      row('apis-generate-ratio', `${label}: cold npm run generate ÷ bare CLI (same run)`, '×', ratio, { max: 1, text: '≤ 1.0×' }),
      row('apis-generate-cold-cpu', `${label}: npm run generate, cold: CPU time (every process)`, 'ms', coldCpu),
      row('apis-generate-bare-cpu', `${label}: bare openapi-typescript CLI: CPU time`, 'ms', bareCpu),
      row('apis-one-edit', `${label}: one spec edited → npm run generate → types on disk`, 'ms', oneEdit, { max: 1_500, text: '≤ 1.5 s' }),
      row('apis-pipeline-cold', `${label}: turbo ${SPEC_TASKS.join(' ')}, cold`, 'ms', coldPipeline),
      row('apis-pipeline-remote', `${label}: the same in a fresh clone, warm remote cache`, 'ms', warmClone),
      row(
        'apis-pipeline-ratio',
        `${label}: fresh clone with warm remote cache ÷ cold`,
        '×',
        warmClone.map((ms, i) => ms / coldPipeline[i]!),
        { max: 0.2, text: '≤ 0.2×' },
      ),
      row('apis-dev-save', `${label}: npm run dev, save → types updated`, 'ms', savesMs, { max: 100, text: '≤ 100 ms' }),
      row('apis-dev-memory', `${label}: npm run dev, watcher resident memory`, 'MiB', [rssMiB]),
    ];
  } finally {
    await mono.remove();
  }
}
