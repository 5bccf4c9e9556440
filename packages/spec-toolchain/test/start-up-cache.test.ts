import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledSource } from '../bin/compiled-source.js';
import type { CodeCacheStats } from '../bin/code-cache.js';

// The generator's start-up caches (bin/code-cache.js, bin/compiled-source.js,
// bin/dependency-bundle.js): each is used when it matches, rebuilt when stale, and a corrupt one is
// ignored — the program still runs right.
const execFileAsync = promisify(execFile);
const codeCacheModule = path.resolve(import.meta.dirname, '../bin/code-cache.js');
const dependencyBundleModule = path.resolve(import.meta.dirname, '../bin/dependency-bundle.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-startup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('V8 code cache for large CommonJS files', () => {
  // A fresh process per run, as each generator process is: it installs the cache, requires the
  // CommonJS fixture and an ES module (through require, as openapi-typescript does), and prints
  // what it got and the cache's counts.
  async function runOnce(v8Flags: string[] = []): Promise<{ value: string; esm: string; stats: CodeCacheStats }> {
    const script = `
      import { createRequire } from 'node:module';
      import v8 from 'node:v8';
      const v8Flags = ${JSON.stringify(v8Flags)};
      for (const flag of v8Flags) v8.setFlagsFromString(flag);
      const { installCodeCache } = await import(${JSON.stringify(codeCacheModule)});
      const cache = installCodeCache({ cacheDir: ${JSON.stringify(path.join(dir, 'cache'))}, minSize: 100, v8Flags });
      const require = createRequire(${JSON.stringify(path.join(dir, 'x.js'))});
      const value = require('./big.cjs').value();
      const esm = require('./esm.mjs').kind;
      cache.flush();
      console.log(JSON.stringify({ value, esm, stats: cache.stats }));`;
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    return JSON.parse(stdout) as { value: string; esm: string; stats: CodeCacheStats };
  }

  async function writeFixture(value: string): Promise<string> {
    const file = path.join(dir, 'big.cjs');
    // Large enough for the hook (minSize 100), with functions compiled lazily.
    const filler = Array.from({ length: 50 }, (_, i) => `function f${i}() { return ${i}; }`).join('\n');
    await writeFile(file, `${filler}\nexports.value = () => ${JSON.stringify(value)} + require('node:path').sep;\n`);
    return file;
  }

  async function cacheFiles(): Promise<string[]> {
    return (await readdir(path.join(dir, 'cache'))).filter((name) => name.endsWith('.bin')).map((name) => path.join(dir, 'cache', name));
  }

  beforeEach(async () => {
    await writeFile(path.join(dir, 'esm.mjs'), `export const kind = 'esm';\n${'// padding\n'.repeat(20)}`);
  });

  it('misses, writes, then hits; ES modules pass through untouched', async () => {
    const big = await writeFixture('one');
    const first = await runOnce();
    expect(first).toMatchObject({ value: 'one/', esm: 'esm' });
    expect(first.stats.misses).toEqual([big]);
    expect(first.stats.written).toHaveLength(1);
    const second = await runOnce();
    expect(second).toMatchObject({ value: 'one/', esm: 'esm' });
    expect(second.stats).toMatchObject({ hits: [big], misses: [], rejected: [], written: [] });
  });

  it('keeps code cached under other V8 flags apart (V8 would reject it)', async () => {
    const big = await writeFixture('one');
    await runOnce();
    const flagged = await runOnce(['--interrupt-budget=540000']);
    expect(flagged.stats).toMatchObject({ hits: [], misses: [big], rejected: [] });
    expect((await runOnce(['--interrupt-budget=540000'])).stats.hits).toEqual([big]);
    expect((await runOnce()).stats.hits).toEqual([big]);
  });

  it('a changed file misses (stale key) and runs its new code', async () => {
    await writeFixture('one');
    await runOnce();
    await writeFixture('two, longer');
    const changed = await runOnce();
    expect(changed.value).toBe('two, longer/');
    expect(changed.stats.misses).toHaveLength(1);
    expect(changed.stats.hits).toEqual([]);
  });

  it('ignores a corrupt or truncated cache file, runs correctly and rewrites it', async () => {
    await writeFixture('one');
    await runOnce();
    const [file] = await cacheFiles();
    if (!file) throw new Error('no cache file written');
    const good = await readFile(file);
    // Flipped bytes: the checksum no longer matches, so V8 never sees them.
    const flipped = Buffer.from(good);
    for (let i = 20; i < flipped.length; i += 7) flipped[i] = (flipped[i] ?? 0) ^ 0xff;
    await writeFile(file, flipped);
    const afterFlip = await runOnce();
    expect(afterFlip).toMatchObject({ value: 'one/', stats: { hits: [], misses: [expect.any(String)] } });
    // Truncated to less than a checksum.
    await writeFile(file, good.subarray(0, 5));
    expect((await runOnce()).stats.misses).toHaveLength(1);
    // A valid checksum over data V8 refuses (another file's cache): rejected by V8, rewritten.
    const { createHash } = await import('node:crypto');
    const bogus = Buffer.from('not a V8 code cache at all, but long enough to pass a length check');
    await writeFile(file, Buffer.concat([createHash('md5').update(bogus).digest(), bogus]));
    const rejected = await runOnce();
    expect(rejected.value).toBe('one/');
    expect(rejected.stats.rejected).toHaveLength(1);
    expect(rejected.stats.written).toHaveLength(1);
    expect((await runOnce()).stats.hits).toHaveLength(1);
  });
});

describe('transpiled source cache', () => {
  async function setUp(): Promise<{ srcDir: string; cacheDir: string }> {
    const srcDir = path.join(dir, 'src');
    const cacheDir = path.join(dir, 'cache');
    await rm(srcDir, { recursive: true, force: true });
    await mkdir(path.join(srcDir, 'lib'), { recursive: true });
    // A subfolder too: src/breaking/ is one.
    await writeFile(
      path.join(srcDir, 'main.ts'),
      `import { answer } from './lib/answer.js';\nconst where: string = import.meta.dirname;\nconsole.log(answer(), where);\n`,
    );
    await writeFile(path.join(srcDir, 'lib/answer.ts'), `export const answer = (): number => 42;\n`);
    return { srcDir, cacheDir };
  }

  async function runEntry(url: string): Promise<string> {
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`]);
    return stdout.trim();
  }

  it('transpiles on a miss, reuses on a hit, redoes only what changed', async () => {
    const { srcDir, cacheDir } = await setUp();
    const first = compiledSource({ srcDir, cacheDir, entry: 'main.ts' });
    expect(first.transpiled.sort()).toEqual(['lib/answer.ts', 'main.ts']);
    // import.meta.dirname still names the source folder, not the cache.
    expect(await runEntry(first.url)).toBe(`42 ${srcDir}`);
    expect(compiledSource({ srcDir, cacheDir, entry: 'main.ts' }).transpiled).toEqual([]);
    await writeFile(path.join(srcDir, 'lib/answer.ts'), `export const answer = (): number => 43;\n`);
    const stale = compiledSource({ srcDir, cacheDir, entry: 'main.ts' });
    expect(stale.transpiled).toEqual(['lib/answer.ts']);
    expect(await runEntry(stale.url)).toBe(`43 ${srcDir}`);
  });

  it('a corrupt manifest or a damaged output is transpiled again', async () => {
    const { srcDir, cacheDir } = await setUp();
    const { url } = compiledSource({ srcDir, cacheDir, entry: 'main.ts' });
    await writeFile(path.join(cacheDir, 'manifest.json'), '{ not json');
    expect(compiledSource({ srcDir, cacheDir, entry: 'main.ts' }).transpiled.sort()).toEqual(['lib/answer.ts', 'main.ts']);
    await writeFile(path.join(cacheDir, 'src/lib/answer.js'), 'export const answ');
    expect(compiledSource({ srcDir, cacheDir, entry: 'main.ts' }).transpiled).toEqual(['lib/answer.ts']);
    await rm(path.join(cacheDir, 'src/main.js'));
    expect(compiledSource({ srcDir, cacheDir, entry: 'main.ts' }).transpiled).toEqual(['main.ts']);
    expect(await runEntry(url)).toBe(`42 ${srcDir}`);
  });

  it('a transpile error throws, so the CLI falls back to tsx', async () => {
    const { srcDir, cacheDir } = await setUp();
    await writeFile(path.join(srcDir, 'lib/answer.ts'), `export const answer = (: number => 42;\n`);
    expect(() => compiledSource({ srcDir, cacheDir, entry: 'main.ts' })).toThrow();
  });
});

describe('dependency bundle', () => {
  // A project folder with two packages in node_modules: alpha (two files, requires beta and the
  // external gamma) and beta. Each counts its evaluations on globalThis.
  async function setUp(): Promise<{ fromDir: string; cacheDir: string }> {
    const fromDir = path.join(dir, 'project');
    const modules = path.join(fromDir, 'node_modules');
    const write = async (file: string, content: string): Promise<void> => {
      await mkdir(path.dirname(path.join(modules, file)), { recursive: true });
      await writeFile(path.join(modules, file), content);
    };
    await mkdir(fromDir, { recursive: true });
    await writeFile(path.join(fromDir, 'package.json'), '{ "name": "project" }');
    for (const name of ['alpha', 'beta', 'gamma']) await write(`${name}/package.json`, `{ "name": "${name}", "main": "index.js" }`);
    await write(
      'alpha/index.js',
      "globalThis.evaluated = [...(globalThis.evaluated ?? []), 'alpha'];\nexports.value = () => require('./lib.js').word + require('beta').word + require('gamma').word;\n",
    );
    await write('alpha/lib.js', "exports.word = 'one';\n");
    await write('beta/index.js', "globalThis.evaluated = [...(globalThis.evaluated ?? []), 'beta'];\nexports.word = '-beta';\n");
    await write('gamma/index.js', "exports.word = '-gamma';\n");
    return { fromDir, cacheDir: path.join(modules, '.cache/dependencies') };
  }

  /** A fresh process loads alpha and beta through the bundle and reports what it got. */
  async function load(options: {
    fromDir: string;
    cacheDir?: string;
  }): Promise<{ source: string; value: string; before: string[]; after: string[] }> {
    const script = `
      const { loadDependencyBundle } = await import(${JSON.stringify(dependencyBundleModule)});
      const { modules, source } = loadDependencyBundle({ packages: ['alpha', 'beta'], external: ['gamma'], ...${JSON.stringify(options)} });
      const before = globalThis.evaluated ?? [];
      const value = modules.alpha.value();
      console.log(JSON.stringify({ source, value, before, after: globalThis.evaluated }));`;
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script]);
    return JSON.parse(stdout) as { source: string; value: string; before: string[]; after: string[] };
  }

  it('builds once, then loads the bundle; packages run on first access only', async () => {
    const setup = await setUp();
    expect(await load(setup)).toEqual({ source: 'built', value: 'one-beta-gamma', before: [], after: ['alpha', 'beta'] });
    expect(await load(setup)).toMatchObject({ source: 'bundle', value: 'one-beta-gamma', before: [] });
    expect(await readFile(path.join(setup.cacheDir, 'dependencies.cjs'), 'utf8')).not.toContain('-gamma');
  });

  it('rebuilds when a bundled file changes; an external one is read where it is', async () => {
    const setup = await setUp();
    await load(setup);
    await writeFile(path.join(setup.fromDir, 'node_modules/gamma/index.js'), "exports.word = '-GAMMA';\n");
    expect(await load(setup)).toMatchObject({ source: 'bundle', value: 'one-beta-GAMMA' });
    await writeFile(path.join(setup.fromDir, 'node_modules/alpha/lib.js'), "exports.word = 'two';\n");
    expect(await load(setup)).toMatchObject({ source: 'built', value: 'two-beta-GAMMA' });
  });

  it('rebuilds a bundle or manifest that does not match; without a cache folder uses node_modules', async () => {
    const setup = await setUp();
    await load(setup);
    await writeFile(path.join(setup.cacheDir, 'dependencies.cjs'), 'throw new Error("damaged")');
    expect(await load(setup)).toMatchObject({ source: 'built', value: 'one-beta-gamma' });
    await writeFile(path.join(setup.cacheDir, 'dependencies.json'), '{ not json');
    expect(await load(setup)).toMatchObject({ source: 'built', value: 'one-beta-gamma' });
    expect(await load({ fromDir: setup.fromDir })).toMatchObject({ source: 'node_modules', value: 'one-beta-gamma' });
    // Outside fromDir the bundle would not find gamma where fromDir does.
    expect(await load({ fromDir: setup.fromDir, cacheDir: path.join(dir, 'elsewhere') })).toMatchObject({
      source: 'node_modules',
      value: 'one-beta-gamma',
    });
  });
});

describe('vmtasks-codegen warm (npm install runs it)', () => {
  const bin = path.resolve(import.meta.dirname, '../bin/vmtasks-codegen.js');

  it('never fails an install: no redocly.yaml, or a broken spec, still exits 0 and writes no output', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(execFileAsync(process.execPath, [bin, 'warm'], { cwd: empty })).resolves.toBeDefined();

    const broken = path.join(dir, 'broken');
    await mkdir(path.join(broken, 'spec'), { recursive: true });
    await writeFile(path.join(broken, 'spec/openapi.yaml'), 'openapi: 3.1.0\ninfo: [not, an, object\n');
    await writeFile(
      path.join(broken, 'redocly.yaml'),
      'apis:\n  broken:\n    root: spec/openapi.yaml\n    x-openapi-ts:\n      output: out/openapi.ts\n',
    );
    const { stdout } = await execFileAsync(process.execPath, [bin, 'warm'], { cwd: broken });
    expect(stdout).toMatch(/start-up caches ready/);
    await expect(readdir(path.join(broken, 'out'))).rejects.toThrow();
  });
});
