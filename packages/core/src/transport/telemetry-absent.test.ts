// @opentelemetry/api is an optional peer: a copy of this package where it cannot be resolved at all
// (a scratch node_modules holding only @vmtasks/core and undici) still makes calls, recording nothing.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const scratch: string[] = [];
afterEach(async () => {
  for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true });
});

// Runs in the scratch directory: a server and a call through the transport, then what telemetry found.
const PROGRAM = `
import { createServer } from 'node:http';
import { Redactor, Transport } from '@vmtasks/core';
const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = 'http://127.0.0.1:' + server.address().port;
const transport = new Transport({ baseUrl, redactor: new Redactor([]) });
const spec = { operation: 'getThing', method: 'GET', path: '/thing', accepts: () => true, toError: () => new Error('unexpected') };
const result = await transport.invoke(spec, { method: 'GET', url: baseUrl + '/thing', headers: {} });
let resolvable = true;
try { await import('@opentelemetry/api'); } catch (error) { resolvable = error.code; }
console.log(JSON.stringify({ result, available: transport.telemetry.available, resolvable }));
await transport.close();
server.close();
`;

it('makes calls when @opentelemetry/api cannot be resolved, with telemetry off', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-no-otel-'));
  scratch.push(root);
  const modules = path.join(root, 'node_modules');
  const core = path.join(modules, '@vmtasks', 'core');
  await mkdir(core, { recursive: true });
  await cp(path.join(here, '..'), path.join(core, 'src'), { recursive: true, filter: (source) => !source.includes('.test') });
  await writeFile(
    path.join(core, 'package.json'),
    JSON.stringify({ name: '@vmtasks/core', type: 'module', exports: { '.': './src/index.ts' } }),
  );
  const undici = path.dirname(require.resolve('undici'));
  await symlink(undici, path.join(modules, 'undici'), 'dir');
  await writeFile(path.join(root, 'program.mjs'), PROGRAM);
  // tsx runs the TypeScript sources as they are; it is loaded by path, since the scratch directory has no tsx.
  const { stdout } = await run(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, 'program.mjs'], { cwd: root });
  expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
    result: { ok: true },
    available: false,
    resolvable: 'ERR_MODULE_NOT_FOUND',
  });
});
