// `npm run mock` as people stop it: a signal to npm itself (a process manager, `kill`, an IDE's
// stop button), not to the whole process group as Ctrl-C in a terminal does. Nothing may be
// left running or listening afterwards, even when npm is killed outright.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { closedPort } from '@vmtasks/testkit';
import { expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');

/** Every process below `root`, from /proc (Linux). */
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …; comm may contain spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  for (let frontier = [root]; frontier.length > 0; ) {
    frontier = [...parents].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...frontier);
  }
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
  '%s to npm stops both mocks, on the ports given, leaving no process behind',
  async (signal) => {
    const ports = { velostrata: await closedPort(), snapservice: await closedPort() };
    const npm = spawn(
      'npm',
      ['run', 'mock', '--', '--velostrata-port', String(ports.velostrata), '--snapservice-port', String(ports.snapservice)],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    let started: number[] = [];
    try {
      await until(() => output.includes('Ctrl-C'), 'started');
      expect(output).toContain(`velostrata   http://127.0.0.1:${ports.velostrata}`);
      expect(output).toContain(`snapservice  http://127.0.0.1:${ports.snapservice}`);
      expect(await listening(ports.velostrata)).toBe(true);
      expect(await listening(ports.snapservice)).toBe(true);
      started = await descendants(npm.pid!);
      expect(started.length).toBeGreaterThan(0);

      npm.kill(signal); // npm only, not its process group
      await exited;
      await until(() => started.every((pid) => !alive(pid)), 'all gone');
      expect(await listening(ports.velostrata)).toBe(false);
      expect(await listening(ports.snapservice)).toBe(false);
    } finally {
      npm.kill('SIGKILL');
      for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  },
);
