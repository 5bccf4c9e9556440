// The README's real-server command, run exactly as documented, with the simulator as the
// appliances behind Prism's proxy. The suites must pass, and the appliances must have received
// the credentials given on the command line — turbo's strict environment once dropped them, and
// the "real server" saw the suite's defaults instead.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { startTestServer, type TestServer } from '@vmtasks/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const credentials = { velostrataPassword: 'e2e-subscription-7f3a9c', snapserviceSessionId: 'e2e-session-51c0d2' };

let sim: Simulator;
const fronts: TestServer[] = [];

/**
 * A transparent front for an appliance that records what reached it, headers included: the
 * simulator itself only counts requests.
 */
async function recordingFront(origin: string): Promise<TestServer> {
  const front = await startTestServer(async (request, response) => {
    const headers = Object.entries(request.headers).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !['host', 'connection', 'content-length'].includes(entry[0]),
    );
    // The body too: listTasks is a POST whose page request the appliance reads.
    const body = request.body === '' ? undefined : request.body;
    const answer = await fetch(`${origin}${request.url}`, { method: request.method, headers, body });
    const answered = Buffer.from(await answer.arrayBuffer());
    const passed = new Headers(answer.headers); // fetch decoded the body: its encoding and length no longer hold
    passed.delete('content-encoding');
    passed.set('content-length', String(answered.length));
    response.writeHead(answer.status, Object.fromEntries(passed));
    response.end(answered);
  });
  fronts.push(front);
  return front;
}

beforeAll(async () => {
  // A manual clock part-way into the wave: every kind of task is listed.
  sim = await startSimulator({ clock: 'manual', seed: 15, credentials });
  await sim.advance(6 * 60_000);
});
afterAll(async () => {
  await Promise.all(fronts.map((front) => front.close()));
  await sim?.stop();
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('VELOSTRATA_URL=… VELOSTRATA_PASSWORD=… SNAPSERVICE_URL=… SNAPSERVICE_SESSION_ID=… npm run test:contract', async () => {
  const velostrataOrigin = new URL(sim.velostrata.url).origin;
  const velostrata = await recordingFront(velostrataOrigin);
  const snapservice = await recordingFront(sim.snapservice.url);
  const reports = ['velostrata', 'snapservice'].map((api) => path.join(repo, `reports/junit/${api}-contract-live.xml`));
  await Promise.all(reports.map((report) => rm(report, { force: true })));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VELOSTRATA_URL: `${velostrata.url}${new URL(sim.velostrata.url).pathname}`,
    VELOSTRATA_PASSWORD: credentials.velostrataPassword,
    SNAPSERVICE_URL: snapservice.url,
    SNAPSERVICE_SESSION_ID: credentials.snapserviceSessionId,
  };
  delete env['TURBO_FORCE']; // CI's setting for its own run, not part of the documented command
  const { code, output } = await run('npm', ['run', 'test:contract'], env);
  expect(code, output.slice(-4000)).toBe(0);

  // Both live suites ran against the fronts, and every test in them passed.
  for (const report of reports) {
    const xml = await readFile(report, 'utf8');
    expect(xml).toMatch(/proxy → http:\/\/127\.0\.0\.1:\d+/);
    expect(Number(/<testsuites [^>]*tests="(\d+)"/.exec(xml)?.[1])).toBeGreaterThan(3);
    expect(xml).toMatch(/<testsuites [^>]*failures="0" errors="0"/);
  }

  // The appliances received the credentials of the command line (and the deliberately wrong ones
  // of the 401 tests), never the suites' defaults.
  const basic = (password: string) => `Basic ${Buffer.from(`apiuser:${password}`).toString('base64')}`;
  const authorizations = new Set(velostrata.requests.map((request) => request.headers.authorization));
  expect(authorizations).toEqual(new Set([basic(credentials.velostrataPassword), basic(`not-${credentials.velostrataPassword}`)]));
  const sessions = new Set(snapservice.requests.map((request) => request.headers['vmware-api-session-id']));
  expect(sessions).toEqual(new Set([credentials.snapserviceSessionId, `not-${credentials.snapserviceSessionId}`]));
  expect(velostrata.requests.length).toBeGreaterThan(2);
  expect(snapservice.requests.length).toBeGreaterThan(2);
});
