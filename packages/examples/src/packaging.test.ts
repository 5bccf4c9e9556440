// The packages as published: `npm pack` each, install the tarballs into an empty project, then
// import them with Node and type-check a consumer against their declarations.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeCheck } from './typescript.js';

const run = promisify(execFile);
const packages = path.resolve(import.meta.dirname, '../..');
let project: string;
const tarballs: string[] = [];

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-consumer-'));
  for (const name of ['core', 'velostrata', 'snapservice', 'simulator', 'cli']) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], { cwd: path.join(packages, name) });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarballs.push(path.join(project, packed!.filename));
    // Only what users need: built code and declarations, no sources, tests or generated-spec inputs.
    const files = packed!.files.map((file) => file.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((file) => /\.test(-d)?\.|^src\//.test(file))).toEqual([]);
  }
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...tarballs], { cwd: project });
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('installed tarballs', () => {
  it('import in plain Node.js ESM', async () => {
    const script = `
      const velostrata = await import('@vmtasks/velostrata');
      const snapservice = await import('@vmtasks/snapservice');
      const client = snapservice.createSnapserviceClient({ baseUrl: 'https://snap.example.com', sessionId: 's' });
      console.log(JSON.stringify({
        velostrata: typeof velostrata.createVelostrataClient,
        snapservice: typeof client.listTasks,
        errors: new velostrata.VelostrataError(500, {}, { operation: 'o', method: 'GET', url: 'u' }) instanceof velostrata.ApiError,
      }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ velostrata: 'function', snapservice: 'function', errors: true });
  });

  it('install the vmtasks command', async () => {
    const vmtasks = path.join(project, 'node_modules/.bin/vmtasks');
    expect((await run(vmtasks, ['--version'], { cwd: project })).stdout).toBe('0.1.0\n');
    const unconfigured = await run(vmtasks, ['tasks'], { cwd: project, env: { PATH: process.env['PATH'] } }).catch((error: { code: number; stderr: string }) => error);
    expect(unconfigured).toMatchObject({ code: 2, stderr: expect.stringContaining('set VELOSTRATA_URL') });
  });

  it('type-check a strict consumer against their declarations', async () => {
    const consumer = path.join(project, 'consumer.ts');
    await writeFile(
      consumer,
      `import { createSnapserviceClient, type ListResult, type TaskStatus } from '@vmtasks/snapservice';
import { createVelostrataClient, type TaskDescriptionPage } from '@vmtasks/velostrata';
const snap = createSnapserviceClient({ baseUrl: 'https://snap.example.com', retry: { retries: 4 } });
const statuses: TaskStatus[] = ['RUNNING'];
export const list: Promise<ListResult> = snap.listTasks({ services: ['com.vmware.snapservice.protection_group'], status: statuses });
const velo = createVelostrataClient({ baseUrl: 'https://mgr.example.com/velostrata/api/v42', password: 'p', retry: false });
export const page: Promise<TaskDescriptionPage> = velo.listActiveTasks({ timeoutMs: 5_000 });
`,
    );
    // The declarations are type-checked too (skipLibCheck off): they must stand on their own.
    const errors = typeCheck([consumer], { typeRoots: [path.resolve(packages, '../node_modules/@types')] });
    expect(errors).toEqual([]);
    expect(await readdir(path.join(project, 'node_modules/@vmtasks'))).toEqual(['cli', 'core', 'simulator', 'snapservice', 'velostrata']);
  });
});
