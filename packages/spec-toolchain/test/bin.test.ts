// The bins run the toolchain as built into dist/ (build.mjs) only while that build is newer than
// everything it is made from; otherwise its TypeScript from source, so an edit never runs stale code.
// And nothing in the project reaches into Node's private module machinery to start faster.
import { cp, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntry } from '../bin/built-entry.js';
import { repo, run } from '../src/test-workspace.js';

const packageDir = path.resolve(import.meta.dirname, '..');
// Inside the repository, so that a copy of the package resolves the same node_modules (.vmtasks-tmp/ is ignored by git).
const tmpRoot = path.join(packageDir, '.vmtasks-tmp');
let dir: string;
beforeAll(async () => {
  await mkdir(tmpRoot, { recursive: true });
  dir = await mkdtemp(path.join(tmpRoot, 'bin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (file: string, seconds: number): Promise<void> => utimes(file, seconds, seconds);

describe('builtEntry', () => {
  it('is dist/<entry>.js only while it is newer than src/ (files and folders), build.mjs, package.json and the lock file', async () => {
    const root = path.join(dir, 'repo');
    const pkg = path.join(root, 'packages/tool');
    await mkdir(path.join(pkg, 'src/breaking'), { recursive: true });
    await mkdir(path.join(pkg, 'dist'), { recursive: true });
    const inputs = ['src/cli.ts', 'src/breaking/cli.ts', 'build.mjs', 'package.json', '../../package-lock.json'].map((name) =>
      path.join(pkg, name),
    );
    for (const file of inputs) await writeFile(file, '');
    // Folders count too: deleting a file changes only its folder.
    inputs.push(path.join(pkg, 'src'), path.join(pkg, 'src/breaking'));
    expect(builtEntry(pkg, 'cli')).toBeUndefined(); // never built

    const built = path.join(pkg, 'dist/cli.js');
    await writeFile(built, '');
    for (const file of inputs) await at(file, 1_000);
    await at(built, 2_000);
    expect(builtEntry(pkg, 'cli')).toBe(built);

    for (const file of inputs) {
      await at(file, 3_000);
      expect(builtEntry(pkg, 'cli'), file).toBeUndefined();
      await at(file, 1_000);
    }
    expect(builtEntry(pkg, 'cli')).toBe(built);
  });
});

describe('vmtasks-codegen', () => {
  it('runs dist/ when it is fresh (with or without a usable code cache), the source when it is stale, with the same result', async () => {
    const copy = path.join(dir, 'spec-toolchain');
    for (const entry of ['bin', 'src', 'templates', 'build.mjs', 'package.json', 'test/fixtures/lint/valid.yaml']) {
      await cp(path.join(packageDir, entry), path.join(copy, entry), { recursive: true });
    }
    const build = await run(process.execPath, ['build.mjs'], copy);
    expect(build).toMatchObject({ code: 0, stderr: '' });
    // A marker only the built code prints.
    const built = path.join(copy, 'dist/cli.js');
    await writeFile(built, `${await readFile(built, 'utf8')}\nconsole.error('(from dist)');\n`);

    const workspace = path.join(dir, 'workspace');
    await mkdir(workspace, { recursive: true });
    await cp(path.join(packageDir, 'test/fixtures/lint/valid.yaml'), path.join(workspace, 'openapi.yaml'));
    await writeFile(
      path.join(workspace, 'redocly.yaml'),
      'apis:\n  valid:\n    root: openapi.yaml\n    x-openapi-ts:\n      output: out.ts\n',
    );
    const bin = path.join(copy, 'bin/vmtasks-codegen.js');

    const fromDist = await run(process.execPath, [bin, 'generate'], workspace);
    expect(fromDist.stderr).toContain('(from dist)');
    expect(fromDist.stdout).toMatch(/^valid: lint clean, out\.ts updated/);

    // A code cache V8 refuses (damaged here; another Node version or V8 flags alike) costs only time.
    const cache = path.join(copy, 'dist/dependencies.v8-cache');
    await writeFile(cache, (await readFile(cache)).subarray(0, 1000));
    await rm(path.join(workspace, 'out.ts'));
    const refused = await run(process.execPath, [bin, 'generate'], workspace);
    expect(refused.stderr).toContain('(from dist)');
    expect(refused.stdout).toMatch(/^valid: lint clean, out\.ts updated/);

    const future = Date.now() / 1000 + 60;
    await at(path.join(copy, 'src/generate.ts'), future);
    await rm(path.join(workspace, 'out.ts'));
    const fromSource = await run(process.execPath, [bin, 'generate'], workspace);
    expect(fromSource.stderr).not.toContain('(from dist)');
    expect(fromSource.stdout).toMatch(/^valid: lint clean, out\.ts updated/);
  }, 300_000); // a build and four generator processes, under CI's load
});

describe('start-up without private internals', () => {
  it('nothing outside the tests patches or reads Node’s private module machinery', async () => {
    const found = await run('git', ['grep', '-nE', '_compile|_resolveFilename|Module\\._', '--', ':!**/*.test.ts'], repo);
    // git grep: 1 = no match, 0 = matches (listed).
    expect({ code: found.code, matches: found.stdout }).toEqual({ code: 1, matches: '' });
  });
});
