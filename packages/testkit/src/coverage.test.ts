import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { specOf, startContractTarget } from './contract.js';
import { ContractCoverage } from './coverage.js';

const LIST = '/api/snapservice/tasks?services=svc';
const served = (status: number, url = LIST, contentType = 'application/json') => ({ method: 'GET', url, status, contentType });

it('lists every operation × documented status, and counts what was served under its operation and status', async () => {
  const coverage = await ContractCoverage.fromSpec(await specOf('snapservice'));
  const listTasks = (keys: readonly string[]) => keys.filter((key) => key.startsWith('listTasks '));
  expect(listTasks(coverage.expected)).toEqual([
    'listTasks 200',
    'listTasks 400',
    'listTasks 401',
    'listTasks 403',
    'listTasks 500',
    'listTasks 503',
    'listTasks default',
  ]);
  coverage.record(served(200));
  coverage.record(served(404)); // undocumented: the default response
  coverage.record(served(500, LIST, 'application/problem+json')); // Prism's own error, not the spec's 500
  coverage.record(served(503, '/api/snapservice/other')); // no such operation
  coverage.record({ ...served(400), method: 'POST' }); // nor this one
  expect(listTasks(coverage.missing())).toEqual(['listTasks 400', 'listTasks 401', 'listTasks 403', 'listTasks 500', 'listTasks 503']);
  expect(coverage.table()).toMatch(/listTasks\s+200\s+1 served/);
  expect(coverage.table()).toMatch(/listTasks\s+400\s+NOT SERVED/);
});

it('a response added to a spec shows up as missing until one is served', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-coverage-'));
  try {
    const spec = path.join(dir, 'openapi.yaml');
    const original = await readFile(await specOf('velostrata'), 'utf8');
    await writeFile(spec, original.replace("        '401':\n", "        '404':\n          description: Not found.\n        '401':\n"));
    const coverage = await ContractCoverage.fromSpec(spec);
    const getActiveTasks = () => coverage.missing().filter((key) => key.startsWith('getActiveTasks '));
    for (const status of [200, 401, 500]) coverage.record(served(status, '/tasks'));
    expect(getActiveTasks()).toEqual(['getActiveTasks 404']);
    coverage.record(served(404, '/tasks'));
    expect(getActiveTasks()).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Loading Prism's libraries is most of this test: 55 s at a load average of 17 on 2 cores, hence the limit.
it('the gate counts what Prism really sent: a 503 asked for but refused (no credentials) stays missing', { timeout: 300_000 }, async () => {
  const target = await startContractTarget('snapservice');
  try {
    const ask = (headers: Record<string, string>) => fetch(`${target.url}${LIST}`, { headers: { Prefer: 'code=503', ...headers } });
    const refused = await ask({});
    await refused.arrayBuffer();
    expect(refused.status).toBe(401);
    await expect.poll(() => target.coverage.missing(), { timeout: 30_000 }).not.toContain('listTasks 401');
    expect(target.coverage.missing()).toContain('listTasks 503');
    const answered = await ask({ 'vmware-api-session-id': 'coverage-test' });
    await answered.arrayBuffer();
    expect(answered.status).toBe(503);
    await expect.poll(() => target.coverage.missing(), { timeout: 30_000 }).not.toContain('listTasks 503');
  } finally {
    await target.close();
  }
});
