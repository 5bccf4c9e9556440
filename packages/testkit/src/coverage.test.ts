import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ContractCoverage } from './coverage.js';
import { specOf } from './contract.js';

it('lists every operation × documented status, and what no test reached', async () => {
  const coverage = await ContractCoverage.fromSpec(await specOf('snapservice'));
  expect(coverage.expected).toEqual([
    'listTasks 200',
    'listTasks 400',
    'listTasks 401',
    'listTasks 403',
    'listTasks 500',
    'listTasks 503',
    'listTasks default',
  ]);
  coverage.hit('listTasks', 200);
  coverage.hit('listTasks', 'default');
  expect(coverage.missing()).toEqual(['listTasks 400', 'listTasks 401', 'listTasks 403', 'listTasks 500', 'listTasks 503']);
  expect(coverage.table()).toMatch(/listTasks\s+400\s+NOT TESTED/);
  expect(() => coverage.hit('listTasks', 418)).toThrow(/not documented/);
});

it('a response added to a spec shows up as missing until a test covers it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-coverage-'));
  try {
    const spec = path.join(dir, 'openapi.yaml');
    const original = await readFile(await specOf('velostrata'), 'utf8');
    await writeFile(spec, original.replace("        '401':\n", "        '404':\n          description: Not found.\n        '401':\n"));
    const coverage = await ContractCoverage.fromSpec(spec);
    for (const status of [200, 401, 'default'] as const) coverage.hit('getActiveTasks', status);
    expect(coverage.missing()).toEqual(['getActiveTasks 404']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
