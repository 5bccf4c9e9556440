import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseYaml, stringifyYaml } from '@redocly/openapi-core';
import { repo } from '@vmtasks/spec-toolchain/test-workspace';
import { specOf } from '@vmtasks/testkit';
import { mustRun, peakRssMiB } from './processes.js';
import { row, type Row } from './stats.js';

interface SpecDocument {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}

/**
 * A spec of `operations` operations built from the snapservice spec: its components (schemas,
 * parameters, responses) and its one path, copied under `operations` distinct paths and ids.
 */
export async function syntheticSpec(operations: number): Promise<string> {
  const source = parseYaml(await readFile(await specOf('snapservice'), 'utf8')) as SpecDocument;
  const [template] = Object.values(source.paths);
  const operation = template?.['get'];
  if (!operation) throw new Error('snapservice spec has no GET operation');
  const paths: SpecDocument['paths'] = {};
  for (let i = 0; i < operations; i++) {
    paths[`/api/snapservice/v${i}/tasks`] = { get: { ...operation, operationId: `listTasks${i}` } };
  }
  return stringifyYaml({ ...source, paths });
}

/** Row 6: generation time and peak memory at 1,000 operations, ours against the plain CLI. */
export async function scale(operations: number, reps: number): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-scale-'));
  try {
    await writeFile(path.join(dir, 'openapi.yaml'), await syntheticSpec(operations));
    await writeFile(
      path.join(dir, 'redocly.yaml'),
      'apis:\n  synthetic:\n    root: openapi.yaml\n    x-openapi-ts:\n      output: ours.ts\n',
    );
    const preload = ['--import', path.join(import.meta.dirname, 'report-rss.mjs')];
    const ours = { ms: [] as number[], mib: [] as number[] };
    const plain = { ms: [] as number[], mib: [] as number[] };
    for (let i = 0; i < reps; i++) {
      await rm(path.join(dir, 'ours.ts'), { force: true });
      const a = await mustRun(
        process.execPath,
        [...preload, path.join(repo, 'packages/spec-toolchain/bin/vmtasks-codegen.js'), 'generate'],
        { cwd: dir },
      );
      ours.ms.push(a.ms);
      ours.mib.push(peakRssMiB(a.stderr));
      const b = await mustRun(
        process.execPath,
        [...preload, path.join(repo, 'node_modules/openapi-typescript/bin/cli.js'), 'openapi.yaml', '-o', 'plain.ts'],
        { cwd: dir },
      );
      plain.ms.push(b.ms);
      plain.mib.push(peakRssMiB(b.stderr));
    }
    const lines = (await readFile(path.join(dir, 'ours.ts'), 'utf8')).split('\n').length;
    return [
      row(
        'scale-ours-time',
        `6. ${operations} operations: vmtasks-codegen generate (validate + generate)`,
        'ms',
        ours.ms,
        { max: 4_000, text: '≤ 4 s' },
        `${lines} lines of types`,
      ),
      row('scale-ours-memory', `6. ${operations} operations: vmtasks-codegen peak memory`, 'MiB', ours.mib, {
        max: 450,
        text: '≤ 450 MiB',
      }),
      row('scale-plain-time', `6. ${operations} operations: plain openapi-typescript CLI`, 'ms', plain.ms),
      row('scale-plain-memory', `6. ${operations} operations: plain openapi-typescript CLI peak memory`, 'MiB', plain.mib),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
