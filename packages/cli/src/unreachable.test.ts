// An appliance that cannot be reached: its own exit status (4) and a line that says so, never
// "No tasks." and never exit 1, which CI jobs read as "a task failed".
import { startSimulator } from '@vmtasks/simulator';
import { ApiError, TransportError } from '@vmtasks/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '@vmtasks/testkit/http-server';
import { runMain } from '../test/fake-io.js';
import { ExitCode } from './exit-codes.js';
import { describeError, exitCodeFor } from './exit.js';
import { isUnreachable, UnreachableError } from './unreachable.js';

const request = { operation: 'getActiveTasks', method: 'GET', url: 'http://127.0.0.1/velostrata/api/v42/tasks' };

describe('which errors mean "cannot reach"', () => {
  it('no HTTP answer, or a gateway status; not what the appliance itself answered', () => {
    expect(isUnreachable(new TransportError('refused', { ...request, attempts: 3, code: 'ECONNREFUSED' }))).toBe(true);
    for (const status of [502, 503, 504]) expect(isUnreachable(new ApiError('down', { ...request, status, body: undefined }))).toBe(true);
    for (const status of [400, 401, 404, 429, 500])
      expect(isUnreachable(new ApiError('no', { ...request, status, body: undefined }))).toBe(false);
    expect(isUnreachable(new Error('other'))).toBe(false);
  });

  it('exits 4, and keeps the advice for an untrusted certificate', () => {
    const cert = new TransportError('self-signed certificate', { ...request, attempts: 1, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const error = new UnreachableError('velostrata', 'mgr.example.com', cert);
    expect(exitCodeFor(error)).toBe(ExitCode.unreachable);
    expect(ExitCode.unreachable).toBe(4);
    expect(describeError(error)).toMatch(
      /^cannot reach velostrata at mgr\.example\.com: self-signed certificate; trust the appliance's CA/,
    );
  });
});

describe('vmtasks against an appliance that is not there', () => {
  let env: Record<string, string>;
  let host: string;
  beforeAll(async () => {
    const port = await closedPort();
    host = `127.0.0.1:${port}`;
    env = { VELOSTRATA_URL: `http://${host}/velostrata/api/v42`, VELOSTRATA_PASSWORD: 'pw' };
  });

  it.each([
    ['tasks', ['tasks']],
    ['tasks --json', ['tasks', '--json']],
    ['watch', ['watch', '--interval', '100ms']],
    ['watch --until-done', ['watch', '--until-done', '--interval', '100ms']],
    ['wait', ['wait', 'task-1', '--interval', '100ms']],
  ])('%s exits 4 saying it cannot reach it, and why', async (_, argv) => {
    const result = await runMain(argv, env);
    expect(result.stderr).toContain(`error: cannot reach velostrata at ${host}: `);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).not.toContain('No tasks');
    expect(result.code).toBe(ExitCode.unreachable);
  });

  it('tasks: what the other appliance lists is still shown, and nothing is said about the silent one', async () => {
    const sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
    try {
      const { SNAPSERVICE_URL, SNAPSERVICE_SESSION_ID } = sim.env();
      const result = await runMain(['tasks'], {
        ...env,
        SNAPSERVICE_URL: SNAPSERVICE_URL!,
        SNAPSERVICE_SESSION_ID: SNAPSERVICE_SESSION_ID!,
        SNAPSERVICE_SERVICES: 'com.vmware.snapservice.protection_group',
      });
      expect(result.stderr).toContain('No tasks from snapservice.\n');
      expect(result.stderr).toContain(`error: cannot reach velostrata at ${host}: `);
      expect(result.code).toBe(ExitCode.unreachable);
    } finally {
      await sim.stop();
    }
  });
});

describe('vmtasks against an appliance whose gateway says it is unavailable', () => {
  it('tasks and watch exit 4 with the HTTP status when it never answered (after an answer a watch rides it out: watch.e2e)', async () => {
    const sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
    try {
      const env = { VELOSTRATA_URL: sim.env()['VELOSTRATA_URL']!, VELOSTRATA_PASSWORD: sim.env()['VELOSTRATA_PASSWORD']! };
      const host = new URL(env.VELOSTRATA_URL).host;
      // More 503s than the client's retries ride out.
      sim.velostrata.injectFault({ kind: 'unavailable' }, 3);
      const tasks = await runMain(['tasks'], env);
      expect(tasks.stderr).toMatch(new RegExp(`error: cannot reach velostrata at ${host}: HTTP 503: `));
      expect(tasks.code).toBe(ExitCode.unreachable);
      sim.velostrata.injectFault({ kind: 'unavailable' }, 3);
      const watch = await runMain(['watch', '--until-done', '--interval', '100ms'], env);
      expect(watch.stderr).toMatch(/cannot reach velostrata at .*: HTTP 503/);
      expect(watch.code).toBe(ExitCode.unreachable);
    } finally {
      await sim.stop();
    }
  });
});
