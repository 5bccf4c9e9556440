// The simulator's behaviour, straight over HTTP: scenarios, clock, seed, auth, filters, faults, scripts.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from './index.js';
import type { ListItem, ListResult, TaskDescription, TaskDescriptionPage, TaskStatus } from './spec-types.js';
import { ALL_SERVICES, basic, snapserviceTasks, velostrataTasks, type Query } from './test-support/requests.js';
import type { Simulator, SimulatorOptions } from './types.js';

const running: Simulator[] = [];
async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ clock: 'manual', ...options });
  running.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

const STEP_MS = 5_000;

/** Polls `list` every STEP_MS of simulated time until `untilMs`, collecting what each task went through. */
async function history<T>(sim: Simulator, untilMs: number, list: () => Promise<T[]>, key: (task: T) => string): Promise<Map<string, T[]>> {
  const seen = new Map<string, T[]>();
  for (let t = 0; t <= untilMs; t += STEP_MS) {
    for (const task of await list()) {
      const states = seen.get(key(task)) ?? [];
      states.push(task);
      seen.set(key(task), states);
    }
    await sim.advance(STEP_MS);
  }
  return seen;
}

describe('Velostrata manager', () => {
  it('runs a migration wave through every state, with consistent pages, chains and progress', async () => {
    const sim = await simulator({ seed: 3, size: { vms: 8 } });
    const seen = await history(
      sim,
      25 * 60_000,
      async () => {
        const answer = await velostrataTasks(sim);
        expect(answer.status).toBe(200);
        const page = answer.body as TaskDescriptionPage;
        const content = page.content ?? [];
        expect(page).toMatchObject({
          number: 0,
          numberOfElements: content.length,
          totalElements: content.length,
          totalPages: content.length ? 1 : 0,
          _type: 'TaskDescriptionPage',
        });
        return content;
      },
      (task) => task.id!.value!,
    );
    const states = new Set([...seen.values()].flat().map((task) => task.state));
    expect([...states].sort()).toEqual(['Cancelled', 'Cancelling', 'Failed', 'Failing', 'Running', 'Succeeded']);

    const last = (id: string): TaskDescription => seen.get(id)!.at(-1)!;
    const parents = [...seen.keys()].map(last).filter((task) => task.taskType === 'FullMigration');
    expect(parents).toHaveLength(8);
    for (const parent of parents) {
      expect(parent.entity).toMatchObject({ _type: 'VmId', value: expect.stringMatching(/^vm-\d+$/) });
      for (const child of parent.subTasks ?? []) {
        expect(last(child.value!).parentTaskId).toEqual(parent.id);
        expect(last(child.value!).entity).toEqual(parent.entity);
      }
    }
    expect(last('task-1001')).toMatchObject({
      taskType: 'CreateCloudExtension',
      entity: { _type: 'CloudExtensionId' },
      state: 'Succeeded',
    });

    for (const [id, versions] of seen) {
      const progress = versions.map((task) => task.progress ?? 0);
      expect(progress, id).toEqual([...progress].sort((a, b) => a - b));
      const final = versions.at(-1)!;
      expect(final.startTime).toBeDefined();
      expect(['Succeeded', 'Failed', 'Cancelled'], id).toContain(final.state);
      expect(Date.parse(final.endTime!)).toBeGreaterThanOrEqual(Date.parse(final.startTime!));
      if (final.state === 'Succeeded') expect(final.progress).toBe(100);
      if (final.state === 'Failed') {
        expect(versions.map((task) => task.state)).toContain('Failing');
        expect(final.errorMessage?.length).toBeGreaterThan(0);
        expect(final.errorDetails).toBeTruthy();
      }
      if (final.state === 'Cancelled') expect(versions.map((task) => task.state)).toContain('Cancelling');
      expect(versions.every((task) => task.progressMessage?.length === 1)).toBe(true);
    }
    // Everything has ended and the retention has passed: the active list is empty again.
    expect((await velostrataTasks(sim)).body).toMatchObject({ numberOfElements: 0, content: [] });
  });

  it('keeps a finished task listed for retentionMs, then drops it', async () => {
    const sim = await simulator({ scenario: 'empty', retentionMs: 60_000 });
    const id = sim.velostrata.addTask({ taskType: 'StopVm', steps: [{ state: 'Running' }, { afterMs: 10_000, state: 'Succeeded' }] });
    await sim.advance(10_000);
    expect(sim.velostrata.tasks()).toMatchObject([
      { id: { value: id }, state: 'Succeeded', progress: 100, endTime: '2026-01-05T09:00:10.000Z' },
    ]);
    await sim.advance(59_999);
    expect(sim.velostrata.tasks()).toHaveLength(1);
    await sim.advance(1);
    expect(sim.velostrata.tasks()).toEqual([]);
  });

  it('plays a scripted task: Running 10% → 60% → Failed, and one that disappears', async () => {
    const sim = await simulator({ scenario: 'empty' });
    const failing = sim.velostrata.addTask({
      id: 'task-77',
      taskType: 'RebootVm',
      entity: { value: 'vm-9', _type: 'VmId' },
      steps: [
        { state: 'Running', progress: 10, message: 'Rebooting' },
        { afterMs: 3000, state: 'Running', progress: 60 },
        { afterMs: 3000, state: 'Failed', errorMessage: ['VM did not come back'], errorDetails: 'no heartbeat' },
      ],
    });
    const vanishing = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 5 },
        { afterMs: 4000, removed: true },
      ],
    });
    expect(failing).toBe('task-77');
    expect(vanishing).toBe('task-1001');
    const states = async () =>
      ((await velostrataTasks(sim)).body as TaskDescriptionPage).content!.map((t) => [t.id!.value, t.state, t.progress]);
    expect(await states()).toEqual([
      ['task-77', 'Running', 10],
      ['task-1001', 'Running', 5],
    ]);
    await sim.advance(3000);
    expect(await states()).toEqual([
      ['task-77', 'Running', 60],
      ['task-1001', 'Running', 5],
    ]);
    await sim.advance(1000);
    expect(await states()).toEqual([['task-77', 'Running', 60]]);
    await sim.advance(2000);
    expect(sim.velostrata.tasks()).toMatchObject([
      {
        taskType: 'RebootVm',
        state: 'Failed',
        progress: 60,
        progressMessage: ['Rebooting'],
        errorMessage: ['VM did not come back'],
        errorDetails: 'no heartbeat',
        startTime: '2026-01-05T09:00:00.000Z',
        endTime: '2026-01-05T09:00:06.000Z',
      },
    ]);
    sim.velostrata.tasks()[0]!.state = 'Succeeded'; // a copy: the simulator's state is its own
    expect(sim.velostrata.tasks()[0]!.state).toBe('Failed');
    expect(() => sim.velostrata.addTask({ id: 'task-77', steps: [{ state: 'Running' }] })).toThrow(/exists already/);
    expect(() => sim.velostrata.addTask({ steps: [{ state: 'Succeeded' }, { state: 'Running' }] })).toThrow(/no step may follow/);
    expect(() => sim.velostrata.addTask({ steps: [] })).toThrow(/at least one step/);
  });

  it('demands Basic apiuser + the subscription id, and never echoes it', async () => {
    const sim = await simulator({ credentials: { velostrataPassword: 's3cret-subscription' } });
    expect((await velostrataTasks(sim)).status).toBe(200);
    for (const authorization of [null, basic('apiuser', 'wrong'), basic('admin', 's3cret-subscription'), 'Bearer s3cret-subscription']) {
      const answer = await velostrataTasks(sim, sim.velostrata.url, authorization);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="Velostrata"');
      expect(answer.body).toEqual({
        errorCode: 'UNAUTHORIZED',
        url: '/velostrata/api/v42/tasks',
        message: 'Full authentication is required to access this resource',
      });
      expect(answer.text).not.toContain('s3cret');
    }
  });

  it('answers the older API versions, 404 elsewhere and 405 for other methods', async () => {
    const sim = await simulator();
    expect((await velostrataTasks(sim, sim.velostrata.url.replace('v42', 'v40'))).status).toBe(200);
    const missing = await fetch(`${sim.velostrata.url}/vms`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errorCode: 'NOT_FOUND' });
    const put = await fetch(`${sim.velostrata.url}/tasks`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    const patch = await fetch(`${sim.velostrata.url}/tasks/task-1`, { method: 'PATCH' });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET, HEAD, DELETE');
  });
});

describe('snapservice appliance', () => {
  it('runs snapshot tasks PENDING → RUNNING → (BLOCKED) → SUCCEEDED | FAILED', async () => {
    const sim = await simulator({ seed: 5, size: { snapshots: 10 } });
    const seen = await history(
      sim,
      20 * 60_000,
      async () => {
        const answer = await snapserviceTasks(sim, ALL_SERVICES);
        expect(answer.status).toBe(200);
        return (answer.body as ListResult).items;
      },
      (item) => item.task,
    );
    expect(seen.size).toBe(10);
    const statuses = new Set([...seen.values()].flat().map((item) => item.info.status));
    expect([...statuses].sort()).toEqual(['BLOCKED', 'FAILED', 'PENDING', 'RUNNING', 'SUCCEEDED'] satisfies TaskStatus[]);
    for (const [task, versions] of seen) {
      expect(task).toMatch(/^[0-9a-f-]{36}:com\.vmware\.snapservice\.protection_group$/);
      expect(versions[0]!.info).toMatchObject({ status: 'PENDING', cancelable: true });
      expect(versions[0]!.info.progress).toBeUndefined();
      expect(versions[0]!.info.start_time).toBeUndefined();
      const completed = versions.filter((v) => v.info.progress).map((v) => v.info.progress!.completed);
      expect(completed).toEqual([...completed].sort((a, b) => a - b));
      const final = versions.at(-1)!.info;
      expect(final.end_time).toBeDefined();
      if (final.status === 'SUCCEEDED') {
        expect(final.progress!.completed).toBe(final.progress!.total);
        expect(final.result).toMatch(/^snapshot-/);
      } else {
        expect(final.status).toBe('FAILED');
        expect(final.error).toMatchObject({ error_type: 'RESOURCE_INACCESSIBLE' });
      }
      const running = versions.find((v) => v.info.status === 'RUNNING')!.info;
      expect(running.progress!.message).toMatchObject({
        default_message: 'Snapshotting virtual machine {0}',
        args: [expect.stringMatching(/^vm-/)],
      });
    }
  });

  it('filters: fields combine with AND, the values of one field with OR', async () => {
    const sim = await simulator({ scenario: 'empty' });
    const pg = 'com.vmware.snapservice.protection_group';
    const other = 'com.vmware.snapservice.protection_groups.snapshots';
    const a = sim.snapservice.addTask({ id: 'a', steps: [{ status: 'RUNNING', progress: 10 }] });
    const b = sim.snapservice.addTask({ id: 'b', user: 'VSPHERE.LOCAL\\ops', steps: [{ status: 'FAILED' }] });
    const c = sim.snapservice.addTask({ id: 'c', service: other, operation: 'delete', steps: [{ status: 'SUCCEEDED', result: 'gone' }] });
    const d = sim.snapservice.addTask({
      id: 'd',
      service: other,
      operation: 'delete',
      user: 'VSPHERE.LOCAL\\ops',
      steps: [{ status: 'RUNNING' }],
    });
    const ids = async (query: Record<string, string[]>) =>
      ((await snapserviceTasks(sim, query)).body as ListResult).items.map((item) => item.task);
    expect(await ids({ services: [pg] })).toEqual([a, b]);
    expect(await ids({ services: [pg, other] })).toEqual([a, b, c, d]);
    expect(await ids({ services: [pg, other], status: ['RUNNING'] })).toEqual([a, d]);
    expect(await ids({ services: [pg, other], status: ['RUNNING', 'FAILED'] })).toEqual([a, b, d]);
    expect(await ids({ services: [other], users: ['VSPHERE.LOCAL\\ops'] })).toEqual([d]);
    expect(await ids({ services: [pg, other], operations: ['delete'], status: ['SUCCEEDED'] })).toEqual([c]);
    expect(await ids({ tasks: [b, c] })).toEqual([b, c]);
    expect(await ids({ tasks: [b, c], services: [pg] })).toEqual([b]);
    expect(await ids({ tasks: ['nope'] })).toEqual([]);
    expect(sim.snapservice.tasks().map((item: ListItem) => item.task)).toEqual([a, b, c, d]);
  });

  it('refuses a filter with neither tasks nor services: 400 INVALID_ARGUMENT with a vAPI body', async () => {
    const sim = await simulator();
    const queries: Query[] = [{}, { status: ['RUNNING'] }, { users: ['x'], operations: ['snapshot'] }, { services: [''] }];
    for (const query of queries) {
      const answer = await snapserviceTasks(sim, query);
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(answer.body).toEqual({
        error_type: 'INVALID_ARGUMENT',
        messages: [
          {
            id: 'com.vmware.snapservice.tasks.filter.tasks_or_services',
            default_message: 'The filter must specify {0} or {1}.',
            args: ['tasks', 'services'],
          },
        ],
      });
    }
    const bad = await snapserviceTasks(sim, { ...ALL_SERVICES, status: ['DONE'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error_type: 'INVALID_ARGUMENT', messages: [{ args: ['DONE', 'status'] }] });
  });

  it('answers 1000 matches, and 500 RESOURCE_INACCESSIBLE for more', async () => {
    const sim = await simulator({ size: { snapshots: 1001, vms: 0 } });
    const tooMany = await snapserviceTasks(sim, ALL_SERVICES);
    expect(tooMany.status).toBe(500);
    expect(tooMany.body).toEqual({
      error_type: 'RESOURCE_INACCESSIBLE',
      messages: [{ id: 'com.vmware.snapservice.tasks.too_many', default_message: 'More than {0} tasks match the filter.', args: ['1000'] }],
    });
    const users = await snapserviceTasks(sim, { ...ALL_SERVICES, users: ['VSPHERE.LOCAL\\snapservice-scheduler'] });
    expect((users.body as ListResult).items).toHaveLength(667);
    const exactly = await simulator({ size: { snapshots: 1000, vms: 0 } });
    expect(((await snapserviceTasks(exactly, ALL_SERVICES)).body as ListResult).items).toHaveLength(1000);
  });

  it('authenticates by session id or SAML token; wrong, missing and expired → 401 with the challenge', async () => {
    const sim = await simulator({ credentials: { snapserviceSessionId: 'secret-session' } });
    expect(sim.snapservice.sessionId).toBe('secret-session');
    expect((await snapserviceTasks(sim, ALL_SERVICES)).status).toBe(200);
    expect((await snapserviceTasks(sim, ALL_SERVICES, sim.snapservice.url, { authorization: sim.snapservice.authorization })).status).toBe(
      200,
    );
    const refused = [
      await snapserviceTasks(sim, ALL_SERVICES, sim.snapservice.url, {}),
      await snapserviceTasks(sim, ALL_SERVICES, sim.snapservice.url, { 'vmware-api-session-id': 'guess' }),
      await snapserviceTasks(sim, ALL_SERVICES, sim.snapservice.url, { authorization: 'SIGN token="forged"' }),
    ];
    for (const answer of refused) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        error_type: 'UNAUTHENTICATED',
        messages: [{ id: 'vapi.security.authentication.invalid' }],
        challenge: expect.stringMatching(/^SIGN realm="snapservice"/),
      });
      expect(answer.headers.get('www-authenticate')).toMatch(/^SIGN realm=/);
    }
    sim.snapservice.expireSession();
    const expired = await snapserviceTasks(sim, ALL_SERVICES);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error_type: 'UNAUTHENTICATED', messages: [{ id: 'vapi.security.authentication.expired' }] });
    expect(expired.text).not.toContain('secret-session');
    const renewed = sim.snapservice.renewSession();
    expect(renewed).toBe('simulated-session-2');
    expect(sim.env()['SNAPSERVICE_SESSION_ID']).toBe(renewed);
    expect((await snapserviceTasks(sim, ALL_SERVICES)).status).toBe(200);
  });

  it('expires sessions after sessionTtlMs of simulated time', async () => {
    const sim = await simulator({ sessionTtlMs: 60_000 });
    expect((await snapserviceTasks(sim, ALL_SERVICES)).status).toBe(200);
    await sim.advance(60_000);
    expect((await snapserviceTasks(sim, ALL_SERVICES)).status).toBe(401);
  });

  it('plays a scripted task: RUNNING 10% → RUNNING 60% → FAILED with the given error', async () => {
    const sim = await simulator({ scenario: 'empty' });
    const error = { error_type: 'TIMED_OUT' as const, messages: [{ id: 'x.timeout', default_message: 'Timed out', args: [] }] };
    const id = sim.snapservice.addTask({
      target: { type: 'com.vmware.snapservice.protection_group', id: 'pg-x' },
      steps: [
        { status: 'RUNNING', progress: 10, message: 'Copying' },
        { afterMs: 2000, status: 'RUNNING', progress: 60 },
        { afterMs: 2000, status: 'FAILED', error },
      ],
    });
    const info = async () => ((await snapserviceTasks(sim, { tasks: [id] })).body as ListResult).items[0]!.info;
    expect(await info()).toMatchObject({
      status: 'RUNNING',
      progress: { total: 100, completed: 10, message: { default_message: 'Copying' } },
      start_time: '2026-01-05T09:00:00.000Z',
    });
    await sim.advance(2000);
    expect((await info()).progress).toMatchObject({ completed: 60, message: { default_message: 'Copying' } });
    await sim.advance(2000);
    expect(await info()).toMatchObject({ status: 'FAILED', error, cancelable: false, end_time: '2026-01-05T09:00:04.000Z' });
    const gone = sim.snapservice.addTask({ steps: [{ status: 'PENDING' }, { afterMs: 500, removed: true }] });
    expect(sim.snapservice.tasks().map((item) => item.task)).toContain(gone);
    await sim.advance(500);
    expect(sim.snapservice.tasks().map((item) => item.task)).not.toContain(gone);
  });
});

describe('faults on demand', () => {
  it.each(['velostrata', 'snapservice'] as const)(
    '%s: 503, 429 + Retry-After, 500, 401, 403 — each for exactly the next N requests',
    async (api) => {
      const sim = await simulator();
      const call = () => (api === 'velostrata' ? velostrataTasks(sim) : snapserviceTasks(sim, ALL_SERVICES));
      const appliance = sim[api];
      appliance.injectFault({ kind: 'unavailable' }, 2);
      appliance.injectFault({ kind: 'rate-limited', retryAfterSeconds: 3 });
      appliance.injectFault({ kind: 'error' });
      appliance.injectFault({ kind: 'unauthenticated' });
      appliance.injectFault({ kind: 'forbidden' });
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await call());
      expect(answers.map((a) => a.status)).toEqual([503, 503, 429, 500, 401, 403, 200]);
      expect(answers[2]!.headers.get('retry-after')).toBe('3');
      if (api === 'snapservice') {
        expect(answers.map((a) => (a.body as { error_type?: string }).error_type)).toEqual([
          'SERVICE_UNAVAILABLE',
          'SERVICE_UNAVAILABLE',
          'RESOURCE_BUSY',
          'ERROR',
          'UNAUTHENTICATED',
          'UNAUTHORIZED',
          undefined,
        ]);
      } else {
        expect(answers.map((a) => (a.body as { errorCode?: string }).errorCode)).toEqual([
          'SERVICE_UNAVAILABLE',
          'SERVICE_UNAVAILABLE',
          'TOO_MANY_REQUESTS',
          'INTERNAL_ERROR',
          'UNAUTHORIZED',
          'FORBIDDEN',
          undefined,
        ]);
      }
      expect(appliance.requests).toBe(7);
      appliance.injectFault({ kind: 'unavailable' }, 5);
      appliance.clearFaults();
      expect((await call()).status).toBe(200);
    },
  );

  it.each(['velostrata', 'snapservice'] as const)('%s: a reset connection, then a slow answer', async (api) => {
    const sim = await simulator();
    const call = () => (api === 'velostrata' ? velostrataTasks(sim) : snapserviceTasks(sim, ALL_SERVICES));
    sim[api].injectFault({ kind: 'reset' });
    const reset = await call().catch((error: unknown) => error);
    expect(reset).toBeInstanceOf(TypeError); // fetch failed
    expect(String((reset as TypeError).cause)).toMatch(/other side closed|ECONNRESET|socket/i);
    sim[api].injectFault({ kind: 'slow', delayMs: 300 });
    const started = performance.now();
    expect((await call()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rejects nonsense fault counts', async () => {
    const sim = await simulator();
    expect(() => sim.snapservice.injectFault({ kind: 'reset' }, 0)).toThrow(RangeError);
    expect(() => sim.snapservice.injectFault({ kind: 'slow', delayMs: -1 })).toThrow(RangeError);
  });
});

describe('clock, seed and lifecycle', () => {
  it('same seed → the same bytes at every moment; another seed → another wave', async () => {
    const [one, two, other] = await Promise.all([simulator({ seed: 42 }), simulator({ seed: 42 }), simulator({ seed: 43 })]);
    let differs = false;
    for (let t = 0; t < 16 * 60_000; t += 20_000) {
      const [a, b, c] = await Promise.all([one, two, other].map((sim) => velostrataTasks(sim)));
      expect(a!.text).toBe(b!.text);
      const [x, y, z] = await Promise.all([one, two, other].map((sim) => snapserviceTasks(sim, ALL_SERVICES)));
      expect(x!.text).toBe(y!.text);
      differs ||= a!.text !== c!.text || x!.text !== z!.text;
      await Promise.all([one, two, other].map((sim) => sim!.advance(20_000)));
    }
    expect(differs).toBe(true);
  });

  it('a manual clock stands still; advance() moves it; a real clock refuses advance()', async () => {
    const manual = await simulator({ startTime: '2030-01-01T00:00:00Z' });
    expect(manual.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    await manual.advance(1500);
    expect(manual.now().toISOString()).toBe('2030-01-01T00:00:01.500Z');
    await expect(manual.advance(-1)).rejects.toThrow(RangeError);
    const fast = await startSimulator({ clock: { speed: 1000 } });
    running.push(fast);
    const before = fast.now().getTime();
    await expect(fast.advance(1)).rejects.toThrow(TypeError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fast.now().getTime() - before).toBeGreaterThanOrEqual(10_000);
  });

  it('checks its options', async () => {
    await expect(startSimulator({ clock: { speed: 0 } })).rejects.toThrow(/speed/);
    await expect(startSimulator({ size: { vms: -1 } })).rejects.toThrow(/vms/);
    await expect(startSimulator({ scenario: 'storm' as 'wave' })).rejects.toThrow(/scenario/);
    await expect(startSimulator({ startTime: 'yesterday' })).rejects.toThrow(/startTime/);
  });

  it('stop() closes both ports, even with a slow request in flight, and can be called twice', async () => {
    const sim = await startSimulator({ clock: 'manual' });
    sim.snapservice.injectFault({ kind: 'slow', delayMs: 60_000 });
    const pending = snapserviceTasks(sim, ALL_SERVICES).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.stop();
    await sim.stop();
    expect(await pending).toBeInstanceOf(TypeError);
    await expect(fetch(`${sim.velostrata.url}/tasks`)).rejects.toThrow();
    await expect(fetch(sim.snapservice.url)).rejects.toThrow();
  });

  it('keeps idle connections open longer than clients keep them (no reset when a client reuses one)', async () => {
    const sim = await simulator();
    for (const url of [`${sim.velostrata.url}/tasks`, sim.snapservice.url]) {
      const response = await fetch(url);
      await response.arrayBuffer();
      expect(response.headers.get('keep-alive'), url).toBe('timeout=65');
    }
  });

  it('env() gives the names the contract tests and the CLI read', async () => {
    const sim = await simulator();
    expect(sim.env()).toEqual({
      VELOSTRATA_URL: sim.velostrata.url,
      VELOSTRATA_USERNAME: 'apiuser',
      VELOSTRATA_PASSWORD: 'simulated-subscription-id',
      SNAPSERVICE_URL: sim.snapservice.url,
      SNAPSERVICE_SESSION_ID: 'simulated-session-1',
      SNAPSERVICE_USERNAME: 'administrator@vsphere.local',
      SNAPSERVICE_PASSWORD: 'simulated-password',
    });
    expect(sim.velostrata.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/velostrata\/api\/v42$/);
    expect(sim.snapservice.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
