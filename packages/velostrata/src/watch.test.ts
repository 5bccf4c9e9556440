import { inspect } from 'node:util';
import { caught, ManualClock, sendJson, startTestServer, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createVelostrataClient,
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  TaskOutcomeUnknownError,
  toSnapshot,
  VelostrataError,
  WaitTimeoutError,
  type RetryOptions,
  type TaskDescription,
  type TaskState,
  type WatchEvent,
} from './index.js';

const PASSWORD = 'c0ffee00-sub-scription-1d';

function task(id: string, state: TaskState, progress?: number, extra: Partial<TaskDescription> = {}): TaskDescription {
  return {
    id: { value: id, _type: 'TaskId' },
    entity: { value: `vm-${id}`, _type: 'VmId' },
    taskType: 'FullMigration',
    state,
    progress,
    progressMessage: progress === undefined ? undefined : [`Streaming disks (${progress}%)`],
    ...extra,
  };
}
const page = (...content: TaskDescription[]) => ({
  _type: 'TaskDescriptionPage',
  number: 0,
  totalPages: 1,
  numberOfElements: content.length,
  totalElements: content.length,
  content,
});

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * A manager whose nth request gets the nth scripted answer (the last one repeats): the list for
 * `GET /tasks`, the one task for `GET /tasks/{id}` (404 when the list does not hold it).
 */
async function manager(answers: (TaskDescription[] | { status: number; body: unknown })[], retry: RetryOptions | false = false) {
  const server = await startTestServer((req, res, index) => {
    const answer = answers[Math.min(index, answers.length - 1)]!;
    const id = /\/tasks\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    if (!Array.isArray(answer)) sendJson(res, answer.status, answer.body);
    else if (id === undefined) sendJson(res, 200, page(...answer));
    else {
      const found = answer.find((t) => t.id?.value === decodeURIComponent(id));
      if (found) sendJson(res, 200, found);
      else sendJson(res, 404, { errorCode: 'NOT_FOUND', message: `Task ${id} was not found` });
    }
  });
  servers.push(server);
  const client = createVelostrataClient({ baseUrl: `${server.url}/velostrata/api/v42`, password: PASSWORD, retry });
  return { server, client, clock: new ManualClock() };
}

describe('toSnapshot', () => {
  it('maps a task onto the common view: percent as a fraction, the latest progress message, errors in one line', () => {
    const failed = task('t-1', 'Failed', 35, {
      progressMessage: ['Preparing', 'Streaming disks'],
      errorMessage: ['Cloud Extension is not reachable', 'Retries exhausted'],
      errorDetails: 'Timeout after 600 s',
      startTime: '2024-03-01T10:00:00Z',
      endTime: '2024-03-01T10:12:41Z',
      username: 'apiuser',
    });
    expect(toSnapshot(failed)).toEqual({
      api: 'velostrata',
      id: 't-1',
      kind: 'FullMigration',
      target: 'vm-t-1',
      state: 'failed',
      progress: 0.35,
      message: 'Streaming disks',
      error: 'Cloud Extension is not reachable; Retries exhausted',
      startedAt: '2024-03-01T10:00:00Z',
      endedAt: '2024-03-01T10:12:41Z',
      user: 'apiuser',
    });
    expect(toSnapshot(task('t', 'Failed', undefined, { errorDetails: 'Only details' })).error).toBe('Only details');
    const states: TaskState[] = ['Running', 'Failing', 'Cancelling', 'Succeeded', 'Failed', 'Cancelled'];
    expect(states.map((s) => toSnapshot(task('t', s)).state)).toEqual([
      'running',
      'failing',
      'cancelling',
      'succeeded',
      'failed',
      'cancelled',
    ]);
    expect(toSnapshot({ state: 'Paused' as TaskState, progress: 250 })).toMatchObject({ id: '', state: 'running', progress: 1 });
  });
});

describe('waitForTask', () => {
  it('resolves with the final TaskDescription once Succeeded, reporting progress in order', async () => {
    const { client, clock, server } = await manager([
      [task('t-1', 'Running', 10), task('other', 'Running', 1)],
      [task('t-1', 'Running', 60)],
      [task('t-1', 'Succeeded', 100)],
    ]);
    const progress: (number | undefined)[] = [];
    const done = await clock.settle(client.waitForTask('t-1', { clock, onProgress: (s) => progress.push(s.progress) }));
    expect(done).toEqual(task('t-1', 'Succeeded', 100));
    expect(progress).toEqual([0.1, 0.6, 1]);
    // One small getTask per poll, never the whole list.
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(Array(3).fill('GET /velostrata/api/v42/tasks/t-1'));
  });

  it('rejects with TaskFailedError (errorMessage, errorDetails) and TaskCancelledError', async () => {
    const failing = await manager([
      [task('t-1', 'Failing', 35)],
      [task('t-1', 'Failed', 35, { errorMessage: ['Disk copy failed'], errorDetails: 'EIO on ds-2' })],
    ]);
    const failure = await caught(failing.clock.settle(failing.client.waitForTask('t-1', { clock: failing.clock })));
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect(failure).toMatchObject({
      message: 'Task t-1 failed: Disk copy failed',
      item: { errorDetails: 'EIO on ds-2' },
      snapshot: { state: 'failed' },
    });

    const cancelling = await manager([[task('t-1', 'Cancelling', 20)], [task('t-1', 'Cancelled', 20)]]);
    const cancelled = await caught(cancelling.clock.settle(cancelling.client.waitForTask('t-1', { clock: cancelling.clock })));
    expect(cancelled).toBeInstanceOf(TaskCancelledError);
    expect(cancelled).toMatchObject({ message: 'Task t-1 was cancelled', snapshot: { state: 'cancelled' } });
  });

  it('rejects with TaskOutcomeUnknownError when the manager no longer knows a task it reported unfinished, TaskNotFoundError when it never knew it', async () => {
    const gone = await manager([[task('t-1', 'Running', 80)], [task('other', 'Running', 1)]]);
    const unknown = await caught(gone.clock.settle(gone.client.waitForTask('t-1', { clock: gone.clock })));
    expect(unknown).toBeInstanceOf(TaskOutcomeUnknownError);
    expect(unknown).toMatchObject({ snapshot: { state: 'running', progress: 0.8 }, item: task('t-1', 'Running', 80) });

    const never = await manager([[task('other', 'Running', 1)]]);
    expect(await caught(never.clock.settle(never.client.waitForTask('t-1', { clock: never.clock })))).toBeInstanceOf(TaskNotFoundError);
  });

  it('rejects with WaitTimeoutError after maxWaitMs, and with the typed 401 when the credentials are refused', async () => {
    const slow = await manager([[task('t-1', 'Running', 5)]]);
    const started = slow.clock.now();
    const timeout = await caught(slow.clock.settle(slow.client.waitForTask('t-1', { clock: slow.clock, maxWaitMs: 600_000 })));
    expect(timeout).toBeInstanceOf(WaitTimeoutError);
    expect(slow.clock.now() - started).toBe(600_000);

    const denied = await manager([
      [task('t-1', 'Running', 5)],
      { status: 401, body: { errorCode: 'UNAUTHORIZED', message: 'Full authentication is required' } },
    ]);
    const error = await caught(denied.clock.settle(denied.client.waitForTask('t-1', { clock: denied.clock })));
    expect(error).toBeInstanceOf(VelostrataError);
    expect(error).toMatchObject({ status: 401, errorCode: 'UNAUTHORIZED' });
    for (const shown of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) expect(shown).not.toContain(PASSWORD);
  });

  it("retries the statuses the client's retry.statuses name, and only those, as its requests do", async () => {
    const busy = { status: 500, body: { errorCode: 'BUSY', message: 'Try again' } };
    // The transport makes one attempt (retries: 0): healing a 500 is the poller's, because the client lists it.
    const healing = await manager([busy, [task('t-1', 'Succeeded', 100)]], { retries: 0, statuses: [500] });
    const notices: number[] = [];
    const onTransientFailure = (notice: { error: unknown }) => notices.push((notice.error as VelostrataError).status);
    const done = await healing.clock.settle(healing.client.waitForTask('t-1', { clock: healing.clock, onTransientFailure }));
    expect(done.state).toBe('Succeeded');
    expect(notices).toEqual([500]);

    // A 503 the client does not list ends the wait with the typed error, not a transient notice.
    const unavailable = { status: 503, body: { errorCode: 'DOWN', message: 'Maintenance' } };
    const strict = await manager([unavailable, [task('t-1', 'Succeeded', 100)]], { retries: 0, statuses: [500] });
    const error = await caught(strict.clock.settle(strict.client.waitForTask('t-1', { clock: strict.clock })));
    expect(error).toMatchObject({ status: 503, errorCode: 'DOWN' });
  });
});

describe('watchTasks', () => {
  it('streams the active tasks, each transition once, and stops polling when the loop breaks', async () => {
    const { server, client, clock } = await manager([
      [task('a', 'Running', 10)],
      [task('a', 'Running', 50), task('b', 'Running', 0)],
      [task('a', 'Succeeded', 100), task('b', 'Cancelling', 0)],
    ]);
    const seen: string[] = [];
    const events = client.watchTasks({ clock })[Symbol.asyncIterator]();
    for (;;) {
      const { value } = (await clock.settle(events.next())) as IteratorYieldResult<WatchEvent<TaskDescription>>;
      if (!('snapshot' in value)) continue;
      seen.push(`${value.type} ${value.item?.id?.value} ${value.snapshot.state}`);
      if (value.type === 'finished') break;
    }
    await events.return?.();
    expect(seen).toEqual(['appeared a running', 'changed a running', 'appeared b running', 'finished a succeeded']);
    await clock.advance(3_600_000);
    expect(server.requests).toHaveLength(3);
  });
});
