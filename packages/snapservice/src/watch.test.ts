import { exposedForms, ManualClock, sendJson, startTestServer, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSnapserviceClient,
  SnapserviceError,
  TaskFailedError,
  TaskNotFoundError,
  toSnapshot,
  type ListItem,
  type RetryOptions,
  type TaskInfo,
  type TaskStatus,
  type WatchEvent,
} from './index.js';

const SESSION = 'b5c0e2f1-session-9a7e';
const message = (text: string, ...args: string[]) => ({ id: `msg.${text.length}`, default_message: text, args });

function item(task: string, status: TaskStatus, extra: Partial<TaskInfo> = {}): ListItem {
  return {
    task,
    info: {
      description: message('Snapshot of {0}', 'pg-1'),
      service: 'com.vmware.snapservice.protection_group',
      operation: 'snapshot',
      status,
      cancelable: status === 'RUNNING',
      ...extra,
    },
  };
}
const running = (task: string, completed: number): ListItem =>
  item(task, 'RUNNING', { progress: { total: 10, completed, message: message('Copied {0} of {1} disks', String(completed), '10') } });

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * A snapservice whose nth request gets the nth scripted answer (the last one repeats): the list
 * for `GET /api/snapservice/tasks`, the one task's info for `GET …/tasks/{task}` (404 when the list
 * does not hold it).
 */
async function appliance(answers: (ListItem[] | { status: number; body: unknown })[], retry: RetryOptions | false = false) {
  const server = await startTestServer((req, res, index) => {
    const answer = answers[Math.min(index, answers.length - 1)]!;
    const id = /\/tasks\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    if (!Array.isArray(answer)) sendJson(res, answer.status, answer.body);
    else if (id === undefined) sendJson(res, 200, { items: answer });
    else {
      const found = answer.find((candidate) => candidate.task === decodeURIComponent(id));
      if (found) sendJson(res, 200, found.info);
      else sendJson(res, 404, { error_type: 'NOT_FOUND', messages: [message('Task {0} was not found', id)] });
    }
  });
  servers.push(server);
  const client = createSnapserviceClient({ baseUrl: server.url, sessionId: SESSION, retry });
  return { server, client, clock: new ManualClock() };
}

describe('toSnapshot', () => {
  it('maps a task onto the common view: state, progress fraction, messages, times, user', () => {
    const task = running('t-1', 4);
    task.info.target = { type: 'com.vmware.snapservice.protection_group', id: 'pg-1' };
    task.info.start_time = '2026-11-23T10:00:00Z';
    task.info.user = 'VSPHERE.LOCAL\\ops';
    expect(toSnapshot(task)).toEqual({
      api: 'snapservice',
      id: 't-1',
      kind: 'snapshot',
      target: 'pg-1',
      state: 'running',
      progress: 0.4,
      message: 'Copied 4 of 10 disks',
      error: undefined,
      startedAt: '2026-11-23T10:00:00Z',
      endedAt: undefined,
      user: 'VSPHERE.LOCAL\\ops',
    });
  });

  it('sums up the vAPI error, partial or empty, and knows no progress without a total', () => {
    const failed = item('t', 'FAILED', { error: { error_type: 'NOT_FOUND', messages: [message('Protection group {0} is gone', 'pg-1')] } });
    expect(toSnapshot(failed)).toMatchObject({
      state: 'failed',
      error: 'Protection group pg-1 is gone',
      message: 'Snapshot of pg-1',
      progress: undefined,
    });
    expect(toSnapshot(item('t', 'FAILED', { error: { error_type: 'TIMED_OUT', messages: [] } })).error).toBe('TIMED_OUT');
    expect(toSnapshot(item('t', 'BLOCKED', { progress: { total: 0, completed: 0, message: message('Waiting') } }))).toMatchObject({
      state: 'blocked',
      progress: undefined,
    });
    expect(toSnapshot(item('t', 'PENDING')).state).toBe('pending');
    expect(toSnapshot(item('t', 'SUCCEEDED')).state).toBe('succeeded');
  });
});

describe('waitForTask', () => {
  it('polls getTask(id) and resolves with the final TaskInfo, reporting progress in order', async () => {
    const done = item('t-1', 'SUCCEEDED', { result: { snapshot: 'snap-9' }, end_time: '2026-11-23T10:05:00Z' });
    const { server, client, clock } = await appliance([
      [item('t-1', 'PENDING')],
      [running('t-1', 2)],
      [running('t-1', 2)],
      [running('t-1', 9)],
      [done],
    ]);
    const progress: string[] = [];
    const info = await clock.settle(
      client.waitForTask('t-1', { clock, onProgress: (s) => progress.push(`${s.state} ${s.progress ?? '-'}`) }),
    );
    expect(info).toEqual(done.info);
    expect(progress).toEqual(['pending -', 'running 0.2', 'running 0.9', 'succeeded -']);
    expect(server.requests.map((r) => r.url)).toEqual(Array(5).fill('/api/snapservice/tasks/t-1'));
  });

  it('rejects with TaskFailedError carrying the vAPI error and its message', async () => {
    const error = { error_type: 'RESOURCE_BUSY' as const, messages: [message('Datastore {0} is full', 'ds-3')], data: { free: 0 } };
    const { client, clock } = await appliance([[running('t-1', 3)], [item('t-1', 'FAILED', { error })]]);
    const failure = await clock.settle(client.waitForTask('t-1', { clock })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TaskFailedError);
    const typed = failure as TaskFailedError<ListItem>;
    expect(typed.message).toBe('Task t-1 failed: Datastore ds-3 is full');
    expect(typed.item?.info.error).toEqual(error);
    expect(typed).toMatchObject({
      taskId: 't-1',
      operation: 'waitForTask',
      snapshot: { state: 'failed', error: 'Datastore ds-3 is full' },
    });
  });

  it('rejects with TaskNotFoundError when the appliance does not know the task, or no longer does', async () => {
    const never = await appliance([[]]);
    await expect(never.clock.settle(never.client.waitForTask('t-404', { clock: never.clock }))).rejects.toThrow(TaskNotFoundError);
    const gone = await appliance([[running('t-1', 5)], []]);
    const error = await gone.clock.settle(gone.client.waitForTask('t-1', { clock: gone.clock })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect(error).toMatchObject({ snapshot: { progress: 0.5 } });
  });

  it('keeps waiting through 503s, reporting them, and ends with the typed 401 when the session is refused', async () => {
    const unavailable = { status: 503, body: { error_type: 'SERVICE_UNAVAILABLE', messages: [] } };
    const { client, clock } = await appliance([[running('t-1', 1)], unavailable, unavailable, [item('t-1', 'SUCCEEDED')]]);
    const notices: string[] = [];
    await clock.settle(
      client.waitForTask('t-1', { clock, onTransientFailure: (n) => notices.push(`${n.failures}: ${n.error.name} ${n.retryInMs > 0}`) }),
    );
    expect(notices).toEqual(['1: SnapserviceError true', '2: SnapserviceError true']);

    const expired = {
      status: 401,
      body: { error_type: 'UNAUTHENTICATED', messages: [message('Session expired')], challenge: 'SIGN realm="snapservice"' },
    };
    const denied = await appliance([[running('t-1', 1)], expired]);
    const error = await denied.clock.settle(denied.client.waitForTask('t-1', { clock: denied.clock })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({ status: 401, errorType: 'UNAUTHENTICATED', challenge: 'SIGN realm="snapservice"' });
  });

  it("treats as transient the statuses the client's retry.statuses name, and only those", async () => {
    const busy = { status: 500, body: { error_type: 'INTERNAL_SERVER_ERROR', messages: [] } };
    // One attempt per poll (retries: 0): the 500 is healed by the poller because the client lists it.
    const healing = await appliance([busy, [item('t-1', 'SUCCEEDED')]], { retries: 0, statuses: [500] });
    const notices: number[] = [];
    const onTransientFailure = (notice: { error: unknown }) => notices.push((notice.error as SnapserviceError).status);
    await healing.clock.settle(healing.client.waitForTask('t-1', { clock: healing.clock, onTransientFailure }));
    expect(notices).toEqual([500]);

    const unavailable = { status: 503, body: { error_type: 'SERVICE_UNAVAILABLE', messages: [] } };
    const strict = await appliance([unavailable, [item('t-1', 'SUCCEEDED')]], { retries: 0, statuses: [500] });
    const error = await strict.clock.settle(strict.client.waitForTask('t-1', { clock: strict.clock })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, errorType: 'SERVICE_UNAVAILABLE' });
  });

  it('never shows the session id, even when the task error echoes it', async () => {
    const { client, clock } = await appliance([
      [item('t-1', 'FAILED', { error: { error_type: 'ERROR', messages: [message('bad session {0}', SESSION)] } })],
    ]);
    const error = await clock.settle(client.waitForTask('t-1', { clock })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    for (const shown of [...exposedForms(error), JSON.stringify((error as TaskFailedError).item)]) {
      expect(shown).not.toContain(SESSION);
    }
  });

  it('rejects a taskId that is not a non-empty string without sending anything', async () => {
    const { server, client } = await appliance([[]]);
    await expect(client.waitForTask('')).rejects.toMatchObject({ name: 'InvalidRequestError', parameter: 'taskId' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('watchTasks', () => {
  it('lists with the filter and streams each transition once', async () => {
    const { server, client, clock } = await appliance([
      [item('a', 'PENDING'), running('b', 1)],
      [running('a', 0), running('b', 5)],
      [running('a', 0), item('b', 'SUCCEEDED')],
      [item('a', 'FAILED', { error: { error_type: 'ERROR', messages: [message('No space')] } })],
    ]);
    const events = client
      .watchTasks(
        { services: ['com.vmware.snapservice.protection_group'], status: ['PENDING', 'RUNNING', 'FAILED', 'SUCCEEDED'] },
        { clock },
      )
      [Symbol.asyncIterator]();
    const seen: string[] = [];
    for (;;) {
      const { value } = (await clock.settle(events.next())) as IteratorYieldResult<WatchEvent<ListItem>>;
      if (value.type === 'polled') {
        seen.push(`polled ${value.count}`);
        if (server.requests.length === 4) break;
        continue;
      }
      if (!('snapshot' in value)) continue;
      seen.push(`${value.type} ${value.item?.task} ${value.snapshot.state}`);
    }
    await events.return?.();
    expect(seen).toEqual([
      'appeared a pending',
      'appeared b running',
      'polled 2',
      'changed a running',
      'changed b running',
      'polled 2',
      'finished b succeeded',
      'polled 2',
      'finished a failed',
      'disappeared b succeeded',
      'polled 1',
    ]);
    expect(server.requests[0]?.url).toBe(
      '/api/snapservice/tasks?services=com.vmware.snapservice.protection_group&status=PENDING&status=RUNNING&status=FAILED&status=SUCCEEDED',
    );
  });

  it('stops polling when the loop breaks', async () => {
    const { server, client, clock } = await appliance([[running('a', 1)]]);
    for await (const event of client.watchTasks({ tasks: ['a'] }, { clock })) {
      expect(event.type).toBe('appeared');
      break;
    }
    expect(clock.sleeping).toBe(0);
    await clock.advance(3_600_000);
    expect(server.requests).toHaveLength(1);
  });
});
