import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const repo = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(repo, 'packages/spec-toolchain/bin/vmtasks-codegen.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `vmtasks-codegen` in `cwd`. */
export const codegen = (cwd: string, ...args: string[]): Promise<RunResult> => run(process.execPath, [cli, ...args], cwd);

/**
 * A throwaway copy of the parts of the repository the pipeline reads and writes, sharing the
 * repository's node_modules. Tests and benchmarks edit specs there, never in the work tree.
 */
export async function copyWorkspace(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-ws-'));
  for (const entry of ['package.json', 'package-lock.json', 'turbo.json', 'redocly.yaml', 'tsconfig.base.json', 'specs']) {
    await cp(path.join(repo, entry), path.join(dir, entry), { recursive: true });
  }
  for (const api of ['velostrata', 'snapservice']) {
    for (const entry of ['package.json', 'turbo.json', 'src/generated']) {
      await cp(path.join(repo, 'packages', api, entry), path.join(dir, 'packages', api, entry), { recursive: true });
    }
  }
  await symlink(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
