// `npm run mock` and `npm run simulate` as people stop them: a signal to npm itself (a process
// manager, `kill`, an IDE's stop button), not to the whole process group as Ctrl-C in a terminal
// does. Nothing may be left running or listening afterwards — for the mock, even when npm is
// killed outright.
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

// Readiness, not sleeps: poll until the condition holds. The limit is for a loaded machine, where a
// fresh npm + node + Prism start has taken over 20 s; an idle one needs about 2 s.
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Both print their URLs once they listen.
const commands = {
  mock: {
    ready: /Ctrl-C/,
    flag: (api: string, port: number) => ['--port', `${api}=${port}`],
    url: (api: string, port: number) => `${api.padEnd(14)}http://127.0.0.1:${port}`,
  },
  simulate: {
    ready: /export SNAPSERVICE_URL/,
    flag: (api: string, port: number) => [`--${api}-port`, String(port)],
    url: (api: string, port: number) => `${api.toUpperCase()}_URL='http://127.0.0.1:${port}`,
  },
};
const cases = [
  ...(['SIGTERM', 'SIGINT', 'SIGKILL'] as const).map((signal) => ({ command: 'mock' as const, signal })),
  ...(['SIGTERM', 'SIGINT'] as const).map((signal) => ({ command: 'simulate' as const, signal })),
];

it.each(cases)('$signal to npm stops npm run $command, on the ports given, leaving no process behind', async ({ command, signal }) => {
  const ports = { velostrata: await closedPort(), snapservice: await closedPort() };
  const flags = Object.entries(ports).flatMap(([api, port]) => commands[command].flag(api, port));
  const npm = spawn('npm', ['run', command, '--', ...flags], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  let started: number[] = [];
  try {
    await until(() => commands[command].ready.test(output), 'started');
    for (const [api, port] of Object.entries(ports)) {
      expect(output).toContain(commands[command].url(api, port));
      expect(await listening(port)).toBe(true);
    }
    started = await descendants(npm.pid!);
    expect(started.length).toBeGreaterThan(0);

    npm.kill(signal); // npm only, not its process group
    await exited;
    await until(() => started.every((pid) => !alive(pid)), 'all gone');
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);
  } finally {
    npm.kill('SIGKILL');
    for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
  }
});
