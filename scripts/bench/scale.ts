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

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * A spec of `operations` operations built from the snapservice spec: its components (schemas,
 * parameters, responses) and every path, copied under distinct paths (`…/v<copy>/…`) and
 * operation ids until there are `operations` of them. Every component stays in use: the
 * lint rules of redocly.yaml (which the bare CLI applies too) refuse unused ones.
 */
export async function syntheticSpec(operations: number): Promise<string> {
  const source = parseYaml(await readFile(await specOf('snapservice'), 'utf8')) as SpecDocument;
  const templates = Object.entries(source.paths);
  if (templates.length === 0) throw new Error('snapservice spec has no paths');
  const paths: SpecDocument['paths'] = {};
  let count = 0;
  for (let copy = 0; count < operations; copy++) {
    for (const [route, item] of templates) {
      const copied: Record<string, Record<string, unknown>> = {};
      for (const [key, value] of Object.entries(item)) {
        if (!METHODS.has(key)) copied[key] = value;
        else if (count < operations) {
          copied[key] = { ...value, operationId: `${String(value['operationId'])}${copy}` };
          count++;
        }
      }
      if (Object.keys(copied).some((key) => METHODS.has(key)))
        paths[route.replace('/api/snapservice/', `/api/snapservice/v${copy}/`)] = copied;
    }
  }
  // Written out in full: js-yaml would share the copies through anchors and aliases, which the
  // toolchain's alias budget (an alias bomb's defence) refuses past 100,000 nodes.
  return stringifyYaml({ ...source, paths }, { noRefs: true });
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
