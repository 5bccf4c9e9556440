// The packages as users get them: every publishable package of the workspace is packed and
// published to a real npm registry (Verdaccio on 127.0.0.1), installed with npm into an empty
// project, imported by plain Node.js, and type-checked — a strict consumer and the README's usage
// snippets — against the installed declarations; the snippets then run against the installed
// simulator. New packages are picked up by themselves. The registry also serves the third-party
// packages they depend on (packed from this workspace's node_modules), so the install never
// leaves 127.0.0.1.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
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

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
}

/**
 * The installed folders (relative to the repository) of every third-party package the published
 * packages need at run time, found in package-lock.json the way Node resolves them.
 */
async function thirdPartyFolders(): Promise<string[]> {
  const lock = JSON.parse(await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const found = new Map<string, string>();
  const visited = new Set<string>();
  const visit = (from: string, dependencies: Record<string, string> = {}) => {
    for (const name of Object.keys(dependencies)) {
      if (packages.some((pkg) => pkg.name === name)) continue;
      // Nearest node_modules first, up to the root one.
      let at: string | undefined;
      for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
        const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
        if (lock.packages[candidate]) {
          at = candidate;
          break;
        }
        if (!dir) break;
      }
      if (!at) throw new Error(`package-lock.json has no ${name} for ${from || 'the root'}`);
      if (visited.has(at)) continue;
      visited.add(at);
      // The same version installed in two places is published once.
      found.set(`${name}@${lock.packages[at]?.version}`, at);
      visit(at, lock.packages[at]?.dependencies);
    }
  };
  for (const pkg of packages) visit(path.relative(repoRoot, pkg.dir), lock.packages[path.relative(repoRoot, pkg.dir)]?.dependencies);
  return [...found.values()];
}

async function publish(tarball: string) {
  await npm(work, 'publish', tarball, '--userconfig', path.join(work, '.npmrc'), '--ignore-scripts', '--tag', 'latest');
}

beforeAll(async () => {
  packages = await publishablePackages();
  registry = await startRegistry('@vmtasks');
  work = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-publish-'));
  project = path.join(work, 'consumer');
  const host = registry.url.replace(/^http:/, '');
  await writeFile(path.join(work, '.npmrc'), `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  const tarballs: string[] = [];
  for (const pkg of packages) {
    const { stdout } = await npm(pkg.dir, 'pack', '--json', '--pack-destination', work);
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    // Only what users need: built code and declarations, no sources or tests.
    const files = packed!.files.map((file) => file.path);
    expect(files, pkg.name).toContain('package.json');
    expect(files.filter((file) => /\.test(-d)?\.|^src\//.test(file)), pkg.name).toEqual([]);
    tarballs.push(path.join(work, packed!.filename));
  }
  const thirdParty = await thirdPartyFolders();
  if (thirdParty.length > 0) {
    const { stdout } = await npm(work, 'pack', '--json', '--ignore-scripts', '--pack-destination', work, ...thirdParty.map((dir) => path.join(repoRoot, dir)));
    tarballs.push(...(JSON.parse(stdout) as { filename: string }[]).map((packed) => path.join(work, packed.filename)));
  }
  // In parallel across packages; the versions of one package one after the other (Verdaccio
  // rewrites a package's metadata on each publish).
  const byName = new Map<string, string[]>();
  for (const tarball of tarballs) {
    const name = path.basename(tarball).replace(/-\d+\.\d+\.\d+.*$/, '');
    byName.set(name, [...(byName.get(name) ?? []), tarball]);
  }
  await Promise.all([...byName.values()].map(async (versions) => {
    for (const tarball of versions) await publish(tarball);
  }));

  await mkdir(project);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await writeFile(path.join(project, '.npmrc'), `registry=${registry.url}\n`);
  // The lock file records where each package came from (a user's npmrc may say otherwise).
  await npm(project, 'install', '--ignore-scripts', '--omit-lockfile-registry-resolved=false', ...packages.map((pkg) => `${pkg.name}@${pkg.version}`));
  // The README's simulator example is a user's own vitest test: this workspace's vitest runs it.
  await symlink(path.join(repoRoot, 'node_modules/vitest'), path.join(project, 'node_modules/vitest'), 'dir');
});

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('published to a local registry and installed with npm', () => {
  it('every publishable package, at its workspace version, and every dependency, from the local registry', async () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['@vmtasks/core', '@vmtasks/snapservice', '@vmtasks/velostrata']));
    const lock = JSON.parse(await readFile(path.join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string }>;
    };
    for (const pkg of packages) expect(lock.packages[`node_modules/${pkg.name}`]?.version, pkg.name).toBe(pkg.version);
    const installed = Object.entries(lock.packages).filter(([key]) => key !== '');
    expect(installed.length).toBeGreaterThan(packages.length);
    for (const [key, entry] of installed) expect(entry.resolved, key).toMatch(new RegExp(`^${registry.url.replaceAll('.', '\\.')}`));
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
    const snippets = (await readmeSnippets('Usage')).map((snippet) => snippet.code);
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
      expect(snippets.filter((snippet) => snippet.run).length).toBeGreaterThanOrEqual(3);
      for (const [index, { code: snippet, run }] of snippets.entries()) {
        if (!run) continue;
        if (/from 'vitest'/.test(snippet)) {
          // A user's own test (it starts its own simulator): run by vitest, as the user would.
          const test = path.join(project, `usage-${index + 1}.test.ts`);
          await writeFile(test, snippet);
          const vitest = path.join(project, 'node_modules/vitest/vitest.mjs');
          const { stdout } = await exec(process.execPath, [vitest, 'run', path.basename(test)], { cwd: project, env });
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
    // With no appliance configured it says what to set and exits 2, not a stack trace.
    const unconfigured = await exec('npx', ['--no-install', 'vmtasks', 'tasks'], { cwd: project, env: { PATH: process.env['PATH'] } }).then(
      () => expect.unreachable('vmtasks tasks succeeded without configuration'),
      (error: { code: number; stderr: string }) => error,
    );
    expect(unconfigured).toMatchObject({ code: 2, stderr: expect.stringContaining('set VELOSTRATA_URL') });
  });
});
