// waitForTask and watchTasks against @vmtasks/simulator's snapservice appliance, on its manual
// clock: the poller sleeps on a ManualClock that moves the simulator with it, so nothing sleeps.
import { PROTECTION_GROUP_SERVICE, startSimulator, type Simulator, type SnapserviceTaskScript } from '@vmtasks/simulator';
import { caught, followWave, ManualClock } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  createSnapserviceClient,
  InvalidRequestError,
  isTerminalTaskState,
  SnapserviceError,
  TaskFailedError,
  TaskNotFoundError,
  toSnapshot,
  WaitTimeoutError,
  type ListItem,
  type RetryOptions,
  type TaskSnapshot,
  type WaitOptions,
} from '@vmtasks/snapservice';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.stop()));
});

// Polls every 5 s exactly (no jitter when min = max), so that a test knows what each poll sees.
const steady = { minIntervalMs: 5_000, maxIntervalMs: 5_000 } satisfies WaitOptions;

async function setup(options: { scenario?: 'wave' | 'empty'; retry?: RetryOptions | false } = {}) {
  const sim = await startSimulator({ clock: 'manual', scenario: options.scenario ?? 'empty', seed: 12 });
  sims.push(sim);
  const client = createSnapserviceClient({
    baseUrl: sim.snapservice.url,
    sessionId: sim.snapservice.sessionId,
    retry: options.retry ?? false,
  });
  const clock = ManualClock.following(sim);
  const wait = (taskId: string, options: WaitOptions = {}) => clock.settle(client.waitForTask(taskId, { ...steady, clock, ...options }));
  const add = (script: SnapserviceTaskScript) => sim.snapservice.addTask(script);
  return { sim, client, clock, wait, add };
}

const percent = (s: TaskSnapshot) => `${s.state} ${s.progress === undefined ? '?' : Math.round(s.progress * 100)}`;

describe('waitForTask against the simulator', () => {
  it('resolves with the final TaskInfo on success, reporting each progress step once, in order', async () => {
    const { wait, add } = await setup();
    const id = add({
      steps: [
        { status: 'PENDING' },
        { afterMs: 10_000, status: 'RUNNING', progress: { total: 4, completed: 1 }, message: 'Snapshotting virtual machine {0}' },
        { afterMs: 20_000, status: 'BLOCKED', progress: { total: 4, completed: 1 } },
        { afterMs: 20_000, status: 'RUNNING', progress: { total: 4, completed: 3 } },
        { afterMs: 20_000, status: 'SUCCEEDED', progress: { total: 4, completed: 4 }, result: 'snapshot-77' },
      ],
    });
    const seen: string[] = [];
    const info = await wait(id, { onProgress: (s) => seen.push(percent(s)) });
    expect(info).toMatchObject({ status: 'SUCCEEDED', result: 'snapshot-77' });
    expect(seen).toEqual(['pending ?', 'running 25', 'blocked 25', 'running 75', 'succeeded 100']);
  });

  it('rejects with TaskFailedError carrying the task’s vAPI error and its message', async () => {
    const { wait, add } = await setup();
    const error = {
      error_type: 'RESOURCE_BUSY' as const,
      messages: [{ id: 'snap.busy', default_message: 'Datastore {0} is busy', args: ['ds-3'] }],
    };
    const id = add({
      steps: [
        { status: 'RUNNING', progress: 40 },
        { afterMs: 15_000, status: 'FAILED', error },
      ],
    });
    const failure = await caught(wait(id));
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect(failure).toMatchObject({ message: `Task ${id} failed: Datastore ds-3 is busy`, snapshot: { state: 'failed' } });
    expect((failure as TaskFailedError<ListItem>).item?.info.error).toMatchObject(error);
  });

  it('rejects with TaskNotFoundError when the task is not listed, or leaves the list', async () => {
    const { wait, add } = await setup();
    expect(await caught(wait('no-such-task:com.vmware.snapservice.protection_group'))).toBeInstanceOf(TaskNotFoundError);
    const id = add({
      steps: [
        { status: 'RUNNING', progress: 60 },
        { afterMs: 12_000, removed: true },
      ],
    });
    const gone = await caught(wait(id));
    expect(gone).toBeInstanceOf(TaskNotFoundError);
    expect(gone).toMatchObject({ snapshot: { state: 'running', progress: 0.6 } });
  });

  it('rejects with AbortError when the caller aborts mid-wait, and polls no more', async () => {
    const { sim, wait, add, clock } = await setup();
    const id = add({
      steps: [
        { status: 'RUNNING', progress: 10 },
        { afterMs: 30_000, status: 'RUNNING', progress: 50 },
        { afterMs: 600_000, status: 'SUCCEEDED' },
      ],
    });
    const controller = new AbortController();
    const error = await caught(wait(id, { signal: controller.signal, onProgress: (s) => s.progress === 0.5 && controller.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    const requests = sim.snapservice.requests;
    await clock.advance(3_600_000);
    expect(sim.snapservice.requests).toBe(requests);
  });

  it('rejects with WaitTimeoutError after maxWaitMs of clock time', async () => {
    const { wait, add, clock } = await setup();
    const id = add({
      steps: [
        { status: 'RUNNING', progress: 5 },
        { afterMs: 3_600_000, status: 'SUCCEEDED' },
      ],
    });
    const started = clock.now();
    const error = await caught(wait(id, { maxWaitMs: 90_000 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ maxWaitMs: 90_000, snapshot: { progress: 0.05 } });
    expect(clock.now() - started).toBe(90_000);
  });

  it('rides out a burst of 503s and a 429 with Retry-After mid-wait, reporting them, and still succeeds', async () => {
    const { sim, wait, add } = await setup({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1_000 } });
    const id = add({
      steps: [
        { status: 'RUNNING', progress: 10 },
        { afterMs: 60_000, status: 'SUCCEEDED' },
      ],
    });
    const notices: string[] = [];
    let injected = false;
    const info = await wait(id, {
      onProgress: () => {
        if (injected) return;
        injected = true;
        // A 429 asking for 30 s, longer than the transport may wait on its own: the poller waits.
        // Then five 503s: one poll's three attempts (the transport's own retries), two of the next.
        sim.snapservice.injectFault({ kind: 'rate-limited', retryAfterSeconds: 30 }, 1);
        sim.snapservice.injectFault({ kind: 'unavailable' }, 5);
      },
      onTransientFailure: (n) =>
        notices.push(
          `${n.failures} ${n.error instanceof SnapserviceError ? n.error.status : n.error.name} ${n.retryInMs >= 30_000 ? 'after 30 s' : 'soon'}`,
        ),
    });
    expect(info.status).toBe('SUCCEEDED');
    expect(notices).toEqual(['1 RetryAfterTooLongError after 30 s', '2 503 soon']);
  });

  it('ends with the typed 401 when the session expires mid-wait', async () => {
    const { sim, wait, add } = await setup();
    const id = add({
      steps: [
        { status: 'RUNNING', progress: 10 },
        { afterMs: 60_000, status: 'SUCCEEDED' },
      ],
    });
    const session = sim.snapservice.sessionId;
    const error = await caught(wait(id, { onProgress: () => sim.snapservice.expireSession() }));
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({ status: 401, errorType: 'UNAUTHENTICATED' });
    expect((error as SnapserviceError).challenge).toBeDefined();
    expect(JSON.stringify(error)).not.toContain(session);
  });
});

describe('watchTasks against the simulator', () => {
  it('sees every transition of a whole snapshot wave exactly once', async () => {
    const { sim, client } = await setup({ scenario: 'wave' });
    const transitions = await followWave(sim, {
      list: () => sim.snapservice.tasks().map(toSnapshot),
      isTerminal: isTerminalTaskState,
      watch: (clock) => client.watchTasks({ services: [PROTECTION_GROUP_SERVICE] }, { ...steady, clock }),
      // snapservice keeps finished tasks listed: the wave is over when all have finished.
      isOver: (_polled, recorder) => recorder.allFinished,
    });
    expect(transitions.seen).toEqual(transitions.truth);
    expect(transitions.disappeared.size).toBe(0);
    expect(new Set([...transitions.seen.values()].map((h) => h.at(-1)?.state))).toEqual(new Set(['succeeded', 'failed']));
    expect([...transitions.seen.values()].some((h) => h.some((s) => s.state === 'blocked'))).toBe(true);
  });

  it('refuses a filter that names neither tasks nor services, before anything is sent', async () => {
    const { sim, client, clock } = await setup({ scenario: 'wave' });
    // @ts-expect-error the filter rule: `tasks` or `services` is required
    const events = client.watchTasks({ status: ['RUNNING'] }, { clock })[Symbol.asyncIterator]();
    const error = await caught(clock.settle(events.next()));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ operation: 'listTasks', parameter: 'filter' });
    expect(sim.snapservice.requests).toBe(0);
  });
});

describe('logging in to the simulator with username and password', () => {
  async function loginSetup(sessionTtlMs?: number) {
    const sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 12, ...(sessionTtlMs !== undefined && { sessionTtlMs }) });
    sims.push(sim);
    const { username, password } = sim.snapservice;
    const client = createSnapserviceClient({ baseUrl: sim.snapservice.url, username, password, retry: false });
    return { sim, client, clock: ManualClock.following(sim) };
  }

  it('a wait longer than the idle lifetime of a session carries on: one re-login when it expires mid-wait', async () => {
    // Sessions lapse after 60 s unused; the wait polls every 5 s, so only an expiry ends one.
    const { sim, client, clock } = await loginSetup(60_000);
    const id = sim.snapservice.addTask({
      steps: [
        { status: 'RUNNING', progress: { total: 10, completed: 1 } },
        { afterMs: 3 * 3_600_000, status: 'SUCCEEDED', progress: { total: 10, completed: 10 } },
      ],
    });
    let expired = false;
    const info = await clock.settle(
      client.waitForTask(id, {
        clock,
        minIntervalMs: 5_000,
        maxIntervalMs: 5_000,
        onProgress: () => {
          if (!expired) sim.snapservice.expireSession(); // the appliance ends the session after the first poll
          expired = true;
        },
      }),
    );
    expect(info.status).toBe('SUCCEEDED');
    expect(sim.snapservice.sessions().created).toBe(2);
  });

  it('fifty concurrent calls that meet the same expired session cause one login', async () => {
    const { sim, client } = await loginSetup();
    const id = sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: { total: 10, completed: 1 } }] });
    await client.getTask(id);
    sim.snapservice.expireSession();
    const infos = await Promise.all(Array.from({ length: 50 }, () => client.getTask(id)));
    expect(infos.every((info) => info.status === 'RUNNING')).toBe(true);
    expect(sim.snapservice.sessions()).toEqual({ created: 2, live: 1 });
  });

  it('logout and close are seen by the appliance; getSession names the user', async () => {
    const { sim, client } = await loginSetup();
    expect(await client.getSession()).toMatchObject({ user: sim.snapservice.username });
    const before = sim.snapservice.sessions().live;
    await client.logout();
    expect(sim.snapservice.sessions().live).toBe(before - 1);
    await client.login();
    expect(sim.snapservice.sessions().live).toBe(before);
    await client.close();
    expect(sim.snapservice.sessions().live).toBe(before - 1);
  });

  it('getTask answers 404 NOT_FOUND for an unknown task, and waitForTask says TaskNotFoundError', async () => {
    const { client, clock } = await loginSetup();
    expect(await caught(client.getTask('t-unknown'))).toMatchObject({ name: 'SnapserviceError', status: 404, errorType: 'NOT_FOUND' });
    expect(await caught(clock.settle(client.waitForTask('t-unknown', { clock })))).toBeInstanceOf(TaskNotFoundError);
  });
});
