// The packages as users get them: every publishable package of the workspace is packed and
// published to a real npm registry (Verdaccio on 127.0.0.1), installed with npm into an empty
// project, imported by plain Node.js, and type-checked — a strict consumer and the README's usage
// snippets — against the installed declarations. New packages are picked up by themselves.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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
  await npm(project, 'install', '--prefer-offline', '--ignore-scripts', '--omit-lockfile-registry-resolved=false', ...packages.map((pkg) => `${pkg.name}@${pkg.version}`));
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

  it('the bins of the installed packages run through npx', async () => {
    const cli = packages.find((pkg) => 'vmtasks' in pkg.bin);
    if (!cli) return expect(packages.flatMap((pkg) => Object.keys(pkg.bin))).toEqual([]);
    const { stdout } = await exec('npx', ['--no-install', 'vmtasks', '--version'], { cwd: project, env });
    expect(stdout.trim()).toContain(cli.version);
  });
});
