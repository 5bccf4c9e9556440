import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadRegistry } from './registry.js';

export const repo = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(repo, 'packages/spec-toolchain/bin/vmtasks-codegen.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    // TURBO_FORCE (set by .ci/run for the suite itself) would turn the cache hits measured and
    // tested through this function into bypasses.
    const childEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', TURBO_FORCE: undefined, ...env };
    execFile(command, args, { cwd, env: childEnv }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * What a test compares with `{ code: 0, output: '' }`: on failure the assertion then shows what
 * the command printed (its last 8,000 characters: a browser's page dump can be megabytes).
 */
export const outcome = (result: RunResult): { code: number; output: string } => ({
  code: result.code,
  output: result.code === 0 ? '' : (result.stdout + result.stderr).slice(-8_000),
});

/** Runs `vmtasks-codegen` in `cwd`. */
export const codegen = (cwd: string, ...args: string[]): Promise<RunResult> => codegenWith({}, cwd, ...args);

/** Runs `vmtasks-codegen` in `cwd` with `env` added to (or, as undefined, removed from) the environment. */
export const codegenWith = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]): Promise<RunResult> =>
  run(process.execPath, [cli, ...args], cwd, env);

export interface WatchProcess {
  /** The watcher's process id (its memory can be read from it). */
  pid: number | undefined;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** A position in the output: take it before a save, so an answer that comes quickly is not missed. */
  mark(): number;
  /** Resolves once the output after `from` matches; rejects, with the output, after `timeoutMs`. */
  waitFor(pattern: RegExp, from: number, timeoutMs?: number): Promise<void>;
  /** Sends Ctrl-C (SIGINT) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `vmtasks-codegen watch` in `cwd`, ready once it says it is watching. */
export async function startWatch(cwd: string): Promise<WatchProcess> {
  const child = spawn(process.execPath, [cli, 'watch'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const watch: WatchProcess = {
    pid: child.pid,
    output: () => output,
    mark: () => output.length,
    waitFor: (pattern, from, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(output.slice(from))) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`vmtasks-codegen watch: no ${pattern} within ${timeoutMs} ms; output:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    stop: () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
  try {
    await watch.waitFor(/watching /, 0);
  } catch (error) {
    await watch.stop();
    throw error;
  }
  return watch;
}

/** The folder of the workspace package a file belongs to: the nearest one with a package.json. */
export function packageOf(file: string): string {
  let dir = path.dirname(file);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${file} is in no package`);
    dir = parent;
  }
  return dir;
}

/** The repository's APIs (its redocly.yaml), for tests that must hold whatever APIs it has. */
export const repoApis = async (): Promise<string[]> => (await loadRegistry(path.join(repo, 'redocly.yaml'))).apis.map((api) => api.name);

/**
 * `preferred`, or `preferred-2`, `-3`…: a name for an API a test adds that the repository does
 * not already use (after `npm run add-api inventory`, the tests' "inventory" would be taken).
 */
export async function freshApiName(preferred: string): Promise<string> {
  const taken = new Set(await repoApis());
  for (let n = 1; ; n++) {
    const name = n === 1 ? preferred : `${preferred}-${n}`;
    if (!taken.has(name) && !existsSync(path.join(repo, 'packages', name)) && !existsSync(path.join(repo, 'specs', name))) return name;
  }
}

/**
 * A throwaway copy of the parts of the repository the pipeline reads and writes, sharing the
 * repository's node_modules. Tests and benchmarks edit specs there, never in the work tree.
 */
export async function copyWorkspace(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-ws-'));
  // The toolchain's turbo.json (and package.json, below): each API's tasks depend on its build task.
  for (const entry of [
    'package.json',
    'package-lock.json',
    'turbo.json',
    'redocly.yaml',
    'tsconfig.base.json',
    'specs',
    'scripts/turbo',
    'packages/spec-toolchain/turbo.json',
  ]) {
    await cp(path.join(repo, entry), path.join(dir, entry), { recursive: true });
  }
  // The toolchain itself runs from the repository (node_modules is linked): in the copy its
  // package is only a node of turbo's graph, with no script to run (its sources are not copied).
  const toolchain = JSON.parse(await readFile(path.join(repo, 'packages/spec-toolchain/package.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(path.join(dir, 'packages/spec-toolchain/package.json'), `${JSON.stringify({ ...toolchain, scripts: {} }, null, 2)}\n`);
  for (const api of (await loadRegistry(path.join(repo, 'redocly.yaml'))).apis) {
    const packageDir = packageOf(api.output);
    for (const entry of ['package.json', 'turbo.json', path.relative(packageDir, path.dirname(api.output))]) {
      const from = path.join(packageDir, entry);
      if (existsSync(from)) await cp(from, path.join(dir, path.relative(repo, from)), { recursive: true });
    }
  }
  await symlink(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
