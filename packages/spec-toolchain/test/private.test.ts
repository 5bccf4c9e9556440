// No telemetry from any tool: the project's own commands, run under strace in a copy of the
// workspace with no opt-out in the environment, make no DNS query and open no connection to
// anything but 127.0.0.1 (the opt-outs live in the scripts and .npmrc, where users run them).
import { execFileSync } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyWorkspace, repo, run } from '../src/scratch.js';

let workspace: Awaited<ReturnType<typeof copyWorkspace>>;

function hasStrace(): boolean {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  if (!hasStrace()) throw new Error('strace is missing: apt-get install -y strace (.ci/run does)');
  workspace = await copyWorkspace();
  await copyFile(path.join(repo, '.npmrc'), path.join(workspace.dir, '.npmrc'));
  for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'fixture']]) {
    await run('git', args, workspace.dir);
  }
});
afterAll(async () => {
  await workspace?.remove();
});

/** Every network syscall of `npm run <script>` and its children that leaves the machine. */
async function offMachine(script: string): Promise<string[]> {
  const trace = path.join(workspace.dir, `strace-${script}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['TURBO_TELEMETRY_DISABLED', 'DO_NOT_TRACK', 'CI']) delete env[name];
  const result = await run('strace', ['-f', '-qq', '-e', 'trace=connect,sendto,sendmsg', '-o', trace, 'npm', 'run', script], workspace.dir, env);
  expect({ code: result.code, output: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
  const lines = (await readFile(trace, 'utf8')).split('\n');
  return lines.filter((line) => /AF_INET6?\b/.test(line) && !/inet_addr\("127\.0\.0\.1"\)|inet_pton\(AF_INET6, "::1"/.test(line));
}

it('npm run generate and npm run lint (turbo, npm, the generator, Redocly) stay on the machine', async () => {
  expect(await offMachine('generate')).toEqual([]);
  expect(await offMachine('lint')).toEqual([]);
});

it('npm run docs stays on the machine', async () => {
  expect(await offMachine('docs')).toEqual([]);
});
