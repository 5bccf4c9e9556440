// No telemetry from any tool: the project's own commands, run under strace in a copy of the
// workspace with no opt-out in the environment, make no DNS query and open no connection to
// anything but 127.0.0.1 (the opt-outs live in the scripts and .npmrc, where users run them).
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadRegistry } from '../src/registry.js';
import { copyWorkspace, outcome, repo, run } from '../src/test-workspace.js';
import { requireCommand } from '@vmtasks/testkit/commands';
import { CHROMIUM_ARGS, requireChromium } from './chromium.js';

let workspace: Awaited<ReturnType<typeof copyWorkspace>>;
let strace: string;

beforeAll(async () => {
  strace = requireCommand('strace', 'strace');
  workspace = await copyWorkspace();
  await copyFile(path.join(repo, '.npmrc'), path.join(workspace.dir, '.npmrc'));
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'fixture'],
  ]) {
    await run('git', args, workspace.dir);
  }
});
afterAll(async () => {
  await workspace?.remove();
});

const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;

/**
 * The lines of an strace log (`-yy`: sockets annotated with their protocol and peers) where
 * something leaves the machine: any DNS query (port 53, a local stub resolver included), a
 * connection off loopback, or data sent off it. A UDP `connect` elsewhere than port 53 sends
 * nothing: Chromium uses one to learn its own address.
 */
function leavingLines(trace: string): string[] {
  return trace.split('\n').filter((line) => {
    if (!/^\d+ (connect|sendto|sendmsg|sendmmsg)\(/.test(line)) return false;
    if (/htons\(53\)|\]:53\]/.test(line)) return true;
    if (/^\d+ connect\(\d+<UDP/.test(line)) return false;
    const addresses = [...line.matchAll(/inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"|->\[?([0-9a-f.:]+?)\]?:\d+\]/g)].map(
      (match) => match[1] ?? match[2] ?? match[3] ?? '',
    );
    return addresses.some((address) => !LOOPBACK.test(address));
  });
}

/** What `command` and its children did that left the machine (see `leavingLines`). */
async function offMachine(label: string, command: string[]): Promise<string[]> {
  const trace = path.join(workspace.dir, `strace-${label}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['TURBO_TELEMETRY_DISABLED', 'DO_NOT_TRACK', 'CI']) delete env[name];
  const result = await run(
    strace,
    ['-f', '-qq', '-yy', '-e', 'trace=connect,sendto,sendmsg,sendmmsg', '-o', trace, ...command],
    workspace.dir,
    env,
  );
  expect(outcome(result), label).toEqual({ code: 0, output: '' });
  return leavingLines(await readFile(trace, 'utf8'));
}

it('npm run generate and npm run lint (turbo, npm, the generator, Redocly) stay on the machine', async () => {
  expect(await offMachine('generate', ['npm', 'run', 'generate'])).toEqual([]);
  expect(await offMachine('lint', ['npm', 'run', 'lint'])).toEqual([]);
});

// Under strace a multi-process browser is slow, and slower on a loaded machine: a generous limit.
it('npm run docs, and Chromium (as the docs test starts it) rendering a page it built, stay on the machine', {
  timeout: 600_000,
}, async () => {
  const chromium = requireChromium();
  expect(await offMachine('docs', ['npm', 'run', 'docs'])).toEqual([]);
  // Chromium's own lookups come with the browser, whatever the page: one page is enough here (the
  // docs test opens every page and records what each requests).
  const [api] = (await loadRegistry(path.join(workspace.dir, 'redocly.yaml'))).apis;
  if (!api) throw new Error('redocly.yaml lists no API');
  const url = pathToFileURL(path.join(workspace.dir, 'docs', `${api.name}.html`)).href;
  // The page as rendered goes to a file: with Redoc inlined it is larger than a pipe buffer is kept.
  const dom = path.join(workspace.dir, 'dom.html');
  const browser = [chromium, ...CHROMIUM_ARGS, '--headless', '--virtual-time-budget=5000', '--dump-dom', url];
  expect(await offMachine('chromium', ['sh', '-c', 'out=$1; shift; exec "$@" > "$out"', 'sh', dom, ...browser])).toEqual([]);
  // Rendered, not just loaded: Redoc wrote the operations into the page.
  expect(await readFile(dom, 'utf8')).toMatch(/operation\/\w+/);
});

it('recognises what leaves the machine in an strace log', () => {
  const lines = [
    '1 connect(3<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("203.0.113.80")}, 16) = -1 EINPROGRESS',
    '1 connect(3<UDP:[2]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0',
    '1 sendmmsg(4<UDPv6:[[fd00::2]:5->[2001:db8::1]:443]>, [{msg_hdr={}}], 1, 0) = 1',
    '1 connect(5<TCP:[3]>, {sa_family=AF_INET, sin_port=htons(4010), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
    '1 connect(6<UDPv6:[4]>, {sa_family=AF_INET6, sin6_port=htons(443), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr)}, 28) = 0',
    '1 sendto(7<NETLINK:[5]>, [{nlmsg_len=20}], 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20',
  ];
  expect(leavingLines(lines.join('\n'))).toEqual(lines.slice(0, 3));
});
