// The packages as users get them: every publishable package of the workspace is packed and
// published to a real npm registry (Verdaccio on 127.0.0.1), installed with npm into an empty
// project, imported by plain Node.js, and type-checked — a strict consumer and the README's usage
// snippets — against the installed declarations. New packages are picked up by themselves.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishablePackages, type PublishablePackage } from '../../../scripts/packages/workspace.js';
import { readmeSnippets } from './readme.js';
import { startRegistry, type LocalRegistry } from './registry.js';
import { typeCheck } from './typescript.js';

const exec = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');
let registry: LocalRegistry;
let work: string;
let project: string;
let packages: PublishablePackage[];

// npm run by turbo run by npm passes its own settings down as npm_config_*; the consumer's npm
// must see only its own .npmrc, as on a user's machine.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)));

function npm(cwd: string, ...args: string[]) {
  return exec('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, env, maxBuffer: 16 * 2 ** 20 });
}

beforeAll(async () => {
  packages = await publishablePackages();
  registry = await startRegistry('@vmtasks');
  work = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-publish-'));
  project = path.join(work, 'consumer');
  const host = registry.url.replace(/^http:/, '');
  // The scope comes from the local registry; third-party dependencies (undici, openapi-fetch)
  // from npm's cache, filled by `npm ci` (--prefer-offline), never from the network.
  const npmrc = `@vmtasks:registry=${registry.url}\n${host}:_authToken=${registry.token}\n`;
  await writeFile(path.join(work, '.npmrc'), npmrc);
  for (const pkg of packages) {
    const { stdout } = await npm(pkg.dir, 'pack', '--json', '--pack-destination', work);
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    // Only what users need: built code and declarations, no sources or tests.
    const files = packed!.files.map((file) => file.path);
    expect(files, pkg.name).toContain('package.json');
    expect(files.filter((file) => /\.test(-d)?\.|^src\//.test(file)), pkg.name).toEqual([]);
    await npm(work, 'publish', path.join(work, packed!.filename), '--userconfig', path.join(work, '.npmrc'), '--ignore-scripts');
  }
  await exec('mkdir', ['-p', project]);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await writeFile(path.join(project, '.npmrc'), `@vmtasks:registry=${registry.url}\n`);
  // The lock file records where each package came from (a user's npmrc may say otherwise).
  // vitest too: the README's simulator example is a user's own test.
  const vitest = JSON.parse(await readFile(path.join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')) as { version: string };
  await npm(project, 'install', '--prefer-offline', '--ignore-scripts', '--omit-lockfile-registry-resolved=false',
    ...packages.map((pkg) => `${pkg.name}@${pkg.version}`), `vitest@${vitest.version}`);
});

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('published to a local registry and installed with npm', () => {
  it('every publishable package, at its workspace version, from the registry', async () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['@vmtasks/core', '@vmtasks/snapservice', '@vmtasks/velostrata']));
    const lock = JSON.parse(await readFile(path.join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string }>;
    };
    for (const pkg of packages) {
      const installed = lock.packages[`node_modules/${pkg.name}`];
      expect(installed?.version, pkg.name).toBe(pkg.version);
      expect(installed?.resolved, pkg.name).toMatch(new RegExp(`^${registry.url.replaceAll('.', '\\.')}`));
    }
  });

  it('every publishable package is a dependency of this package, so turbo builds it before this test', async () => {
    const own = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const pkg of packages) expect(own.dependencies, `add "${pkg.name}": "${pkg.version}" to packages/examples/package.json`).toHaveProperty([pkg.name]);
  });

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
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ velostrata: 'function', snapservice: 'function', errors: true });
  });

  it('a strict consumer and the README usage snippets type-check against the installed declarations', async () => {
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
    const snippets = await readmeSnippets('Usage');
    const files = [consumer];
    for (const [index, snippet] of snippets.entries()) {
      const file = path.join(project, `usage-${index + 1}.ts`);
      await writeFile(file, `${snippet}\nexport {};\n`);
      files.push(file);
    }
    // The declarations are type-checked too (skipLibCheck off): they must stand on their own.
    const errors = typeCheck(files, { typeRoots: [path.join(repoRoot, 'node_modules/@types')] });
    expect(errors).toEqual([]);
  });

  it('the README usage snippets run against the installed simulator', async () => {
    expect(packages.map((pkg) => pkg.name)).toContain('@vmtasks/simulator');
    // The installed bin, in its own process, as a user would start it; it prints `export` lines.
    const simulator = spawn(path.join(project, 'node_modules/.bin/vmtasks-simulator'), ['--speed', '60', '--seed', '3'], {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const exported: Record<string, string> = {};
      let output = '';
      for await (const chunk of simulator.stdout) {
        output += String(chunk);
        if ((output.match(/^export /gm) ?? []).length >= 2) break;
      }
      for (const [, name, value] of output.matchAll(/([A-Z_]+)='([^']*)'/g)) exported[name!] = value!;
      expect(Object.keys(exported)).toEqual(expect.arrayContaining(['VELOSTRATA_URL', 'VELOSTRATA_PASSWORD', 'SNAPSERVICE_URL', 'SNAPSERVICE_SESSION_ID']));
      const snippets = await readmeSnippets('Usage');
      for (const [index, snippet] of snippets.entries()) {
        if (/from 'vitest'/.test(snippet)) {
          // A user's own test (it starts its own simulator): run by vitest, as the user would.
          const test = path.join(project, `usage-${index + 1}.test.ts`);
          await writeFile(test, snippet);
          const { stdout } = await exec(path.join(project, 'node_modules/.bin/vitest'), ['run', path.basename(test)], { cwd: project, env });
          expect(stdout).toMatch(/1 passed/);
          continue;
        }
        const file = path.join(project, `usage-${index + 1}.mjs`);
        const { outputText } = ts.transpileModule(snippet, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
        await writeFile(file, outputText);
        const { stdout, stderr } = await exec(process.execPath, [file], { cwd: project, env: { ...env, ...exported } });
        // The snippets print API errors to stderr: none may happen against a conforming appliance.
        expect(stderr, `README usage snippet ${index + 1}`).toBe('');
        expect(stdout, `README usage snippet ${index + 1}`).not.toBe('');
      }
    } finally {
      simulator.kill('SIGTERM');
      if (simulator.exitCode === null) await once(simulator, 'exit');
    }
  });

  it('the bins of the installed packages run through npx', async () => {
    const cli = packages.find((pkg) => 'vmtasks' in pkg.bin);
    if (!cli) return expect(packages.map((pkg) => pkg.name)).not.toContain('@vmtasks/cli');
    const { stdout } = await exec('npx', ['--no-install', 'vmtasks', '--version'], { cwd: project, env });
    expect(stdout.trim()).toContain(cli.version);
  });
});
