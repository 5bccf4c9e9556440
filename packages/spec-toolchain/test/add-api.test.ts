// `npm run add-api <name>` in a temporary copy of the repository: the new API lints clean, is
// generated, built, unit- and contract-tested by turbo, shows up in the registry-driven docs,
// and the lock file lists its package — what the next `npm test` needs to stay green.
//
// Cost: the copy reuses the repository's installed packages (a node_modules of links, with the
// copy's own workspace links), and turbo runs only the new package's tasks and what they depend
// on (core and testkit builds); the registry-driven tasks (docs, lint, check) run for every API.
// A full `npm test` in the copy would repeat the whole suite for one more package.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codegen, codegenWith, freshApiName, outcome, repo, repoApis, run, type RunResult } from '../src/test-workspace.js';

const SKIP = new Set(['node_modules', '.git', '.turbo', 'dist', 'test-output', 'docs', 'coverage', '.vmtasks-tmp', '.readme-snippets']);
let dir: string;
/** The API the tests add: "inventory", unless the repository has one by that name already. */
let name: string;

/** The repository's files, and a node_modules that links every installed package but our own. */
async function copyRepository(): Promise<string> {
  const target = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-add-api-'));
  await cp(repo, target, { recursive: true, filter: (source) => !SKIP.has(path.basename(source)) });
  const modules = path.join(target, 'node_modules');
  await mkdir(path.join(modules, '@vmtasks'), { recursive: true });
  for (const entry of await readdir(path.join(repo, 'node_modules'))) {
    if (entry === '@vmtasks') continue;
    await symlink(path.join(repo, 'node_modules', entry), path.join(modules, entry));
  }
  for (const pkg of await readdir(path.join(target, 'packages'))) {
    await symlink(path.join(target, 'packages', pkg), path.join(modules, '@vmtasks', pkg));
  }
  return target;
}

const turbo = (...args: string[]): Promise<RunResult> =>
  run(path.join(repo, 'node_modules/.bin/turbo'), ['run', ...args, '--output-logs=new-only', '--no-daemon'], dir, {
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  });

beforeAll(async () => {
  name = await freshApiName('inventory');
  dir = await copyRepository();
  // A repository with history, as users have it: the breaking-change gate compares with HEAD.
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'before add-api'],
  ]) {
    await run('git', args, dir);
  }
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('refuses a bad or taken name, a bad title or flag, with exit 2 and a reason', async () => {
  const bad = await codegen(dir, 'add-api', 'Inventory_API', '--install', 'none');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('not a valid API name');
  const [existing] = await repoApis();
  const taken = await codegen(dir, 'add-api', existing ?? 'velostrata', '--install', 'none');
  expect(taken.code).toBe(2);
  expect(taken.stderr).toContain(`already lists an API "${existing}"`);
  const title = await codegen(dir, 'add-api', name, '--title', 'Inventory: "API"', '--install', 'none');
  expect(title.code).toBe(2);
  expect(title.stderr).toContain('--title');
  const flag = await codegen(dir, 'add-api', name, '--instal', 'none');
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain("Unknown option '--instal'");
  expect(existsSync(path.join(dir, `packages/${name}`))).toBe(false);
});

/** What git sees changed in the copy since its commit: '' when add-api left nothing behind. */
const changes = async (): Promise<string> => (await run('git', ['status', '--porcelain', '--untracked-files=all'], dir)).stdout;

it("refuses, before writing anything, a name too long for a file or npm, or one whose identifiers clash with the template's", async () => {
  for (const [bad, reason] of [
    ['x'.repeat(300), 'at most 50 characters'],
    ['x'.repeat(250), 'at most 50 characters'],
    ['api', 'would make the client declare ApiError'],
    ['timeout', 'would make the client declare TimeoutError'],
  ] as const) {
    const result = await codegen(dir, 'add-api', bad, '--install', 'none');
    expect(result.code, bad.slice(0, 20)).toBe(2);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).not.toMatch(/ENAMETOOLONG|\n\s+at /);
  }
  expect(await changes()).toBe('');
});

it('takes a title that YAML would read as a number, null or a list, as the string it is', async () => {
  for (const title of ['42', '-', 'null']) {
    const result = await codegen(dir, 'add-api', name, '--title', title, '--install', 'none');
    expect(outcome(result), title).toEqual({ code: 0, output: '' });
    const spec = await readFile(path.join(dir, `specs/${name}/openapi.yaml`), 'utf8');
    expect(spec).toContain(`  title: ${JSON.stringify(title)}\n`);
    // Back to the commit for the next title (and the tests below).
    await rm(path.join(dir, `specs/${name}`), { recursive: true });
    await rm(path.join(dir, `packages/${name}`), { recursive: true });
    await run('git', ['checkout', '-q', '--', 'redocly.yaml'], dir);
    expect(await changes()).toBe('');
  }
});

it('takes back everything it wrote when a late step fails (npm not on PATH)', async () => {
  const result = await codegenWith({ PATH: '/nonexistent' }, dir, 'add-api', name, '--install', 'lockfile');
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^add-api: npm install failed: .*ENOENT/m);
  expect(result.stderr).toContain('Nothing was left behind');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  // The spec, the package, its generated types and the redocly.yaml entry: all gone.
  expect(await changes()).toBe('');
});

/** A step of `npm test` (root package.json) run in the copy; fails with its output. */
async function step(command: string, ...args: string[]): Promise<RunResult> {
  const result = await run(command, args, dir);
  expect(outcome(result), [command, ...args].join(' ')).toEqual({ code: 0, output: '' });
  return result;
}

it('scaffolds an API that the next npm test passes, step by step', async () => {
  // The lock file only: node_modules is the repository's, shared. Offline: the lock file has all
  // npm needs (tried with an empty npm cache), and a test stays on the machine (without it, npm
  // asked registry.npmjs.org, seen with strace).
  const added = await codegenWith({ npm_config_offline: 'true' }, dir, 'add-api', name, '--install', 'lockfile');
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  expect(added.stdout).toContain(`add-api: ${name} added`);

  const registry = await readFile(path.join(dir, 'redocly.yaml'), 'utf8');
  expect(registry).toContain(
    `  ${name}:\n    root: specs/${name}/openapi.yaml\n    x-openapi-ts:\n      output: packages/${name}/src/generated/openapi.ts`,
  );
  expect(registry).toContain('# The one registry of APIs.'); // comments kept
  const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  expect(Object.keys(lock.packages)).toContain(`packages/${name}`);

  // Every registry-driven command covers it, with no script changed.
  const lint = await codegen(dir, 'lint');
  expect(lint.stdout).toMatch(new RegExp(`^${name}: lint clean \\(\\d+ ms\\)$`, 'm'));
  expect((await codegen(dir, 'check')).code).toBe(0);
  const docs = await codegen(dir, 'docs');
  expect(docs.stdout).toContain(`docs: ${(await repoApis()).length + 1} API page(s)`);
  expect(existsSync(path.join(dir, `docs/${name}.html`))).toBe(true);

  // npm test, as the root package.json chains its steps. A step added there must be added here.
  const { scripts } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts['test']?.split(' && ')).toEqual([
    'npm run lint:code',
    'npm run check:architecture',
    'scripts/turbo run check:generated',
    'npm run check:breaking',
    'scripts/turbo run lint typecheck typecheck:scripts test test:contract --concurrency=4',
    'npm run check:api',
    'npm run check:packages',
  ]);
  // Biome over the whole copy: the new package's sources are formatted as the repository wants.
  await step('npm', 'run', 'lint:code');
  // The new package's imports, inside it and between packages, have no cycle.
  await step('npm', 'run', 'check:architecture');
  // The gate sees a new API in a private package: no changeset needed (a published one would).
  expect((await step('npm', 'run', 'check:breaking')).stdout).toContain(
    `${name} (@vmtasks/${name}): new API — compared with HEAD (uncommitted changes)`,
  );
  // check:api and check:packages judge the published packages; a scaffold is not one until its
  // author removes "private" (the README says what then). typecheck:scripts covers scripts/,
  // which add-api does not touch. The rest runs for the new package (and what it depends on):
  const manifest = JSON.parse(await readFile(path.join(dir, `packages/${name}/package.json`), 'utf8')) as { private?: boolean };
  expect(manifest.private).toBe(true);
  const result = await turbo('check:generated', 'lint', 'typecheck', 'test', 'test:contract', `--filter=@vmtasks/${name}`);
  expect(result.stdout + result.stderr).not.toMatch(/No test files found/);
  expect(outcome(result)).toEqual({ code: 0, output: '' });
  // The new package's own suites ran, and passed.
  // 4 client tests and 37 of the transport conformance suite (request hooks included).
  expect(result.stdout).toMatch(new RegExp(`@vmtasks/${name}:test: .*Tests\\s+41 passed`));
  expect(result.stdout).toMatch(new RegExp(`@vmtasks/${name}:test:contract: .*Tests\\s+6 passed`));
  expect(result.stdout).toMatch(/Tasks:\s+\d+ successful, \d+ total/);
}, 300_000);
