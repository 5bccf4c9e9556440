// waitForTask and watchTasks against @vmtasks/simulator's Velostrata Manager, on its manual
// clock: the poller sleeps on a ManualClock that moves the simulator with it, so nothing sleeps.
import { startSimulator, type Simulator, type VelostrataTaskScript } from '@vmtasks/simulator';
import { caught, followWave, ManualClock } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  createVelostrataClient,
  isTerminalTaskState,
  toSnapshot,
  TaskCancelledError,
  TaskFailedError,
  TaskNotFoundError,
  TaskOutcomeUnknownError,
  VelostrataError,
  WaitTimeoutError,
  type RetryOptions,
  type TaskSnapshot,
  type WaitOptions,
} from '@vmtasks/velostrata';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.stop()));
});

// Polls every 5 s exactly (no jitter when min = max), so that a test knows what each poll sees.
const steady = { minIntervalMs: 5_000, maxIntervalMs: 5_000 } satisfies WaitOptions;

async function setup(options: { scenario?: 'wave' | 'empty'; retry?: RetryOptions | false; retentionMs?: number } = {}) {
  const sim = await startSimulator({
    clock: 'manual',
    scenario: options.scenario ?? 'empty',
    seed: 12,
    ...(options.retentionMs !== undefined && { retentionMs: options.retentionMs }),
  });
  sims.push(sim);
  const client = createVelostrataClient({ baseUrl: sim.velostrata.url, password: sim.velostrata.password, retry: options.retry ?? false });
  const clock = ManualClock.following(sim);
  const wait = (taskId: string, options: WaitOptions = {}) => clock.settle(client.waitForTask(taskId, { ...steady, clock, ...options }));
  const add = (script: VelostrataTaskScript) => sim.velostrata.addTask(script);
  return { sim, client, clock, wait, add };
}

const percent = (s: TaskSnapshot) => `${s.state} ${s.progress === undefined ? '?' : Math.round(s.progress * 100)}`;

describe('waitForTask against the simulator', () => {
  it('resolves on success, reporting each progress step once, in order', async () => {
    const { wait, add } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 10 },
        { afterMs: 20_000, state: 'Running', progress: 60, message: 'Streaming disks' },
        { afterMs: 20_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const seen: string[] = [];
    const done = await wait(id, { onProgress: (s) => seen.push(percent(s)) });
    expect(done).toMatchObject({ id: { value: id }, state: 'Succeeded', progress: 100 });
    expect(seen).toEqual(['running 10', 'running 60', 'succeeded 100']);
  });

  it('waits on the README’s one-line clock, which advances the simulator instead of sleeping', async () => {
    const { sim, client, add } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 0 },
        { afterMs: 90_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const started = sim.now().getTime();
    const clock = { now: () => sim.now().getTime(), sleep: (ms: number) => sim.advance(ms) };
    const done = await client.waitForTask(id, { clock });
    expect(done.state).toBe('Succeeded');
    expect(sim.now().getTime() - started).toBeGreaterThanOrEqual(90_000);
  });

  it('rejects with TaskFailedError carrying errorMessage and errorDetails', async () => {
    const { wait, add } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 30 },
        { afterMs: 10_000, state: 'Failing', progress: 30 },
        {
          afterMs: 10_000,
          state: 'Failed',
          progress: 30,
          errorMessage: ['Cloud Extension is not reachable'],
          errorDetails: 'Timeout after 600 s',
        },
      ],
    });
    const error = await caught(wait(id));
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({
      message: `Task ${id} failed: Cloud Extension is not reachable`,
      item: { errorDetails: 'Timeout after 600 s' },
      snapshot: { state: 'failed' },
    });
  });

  it('rejects with TaskCancelledError when the task is cancelled', async () => {
    const { wait, add } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 5 },
        { afterMs: 10_000, state: 'Cancelling' },
        { afterMs: 10_000, state: 'Cancelled' },
      ],
    });
    const states: string[] = [];
    const error = await caught(wait(id, { onProgress: (s) => states.push(s.state) }));
    expect(error).toBeInstanceOf(TaskCancelledError);
    expect(states).toEqual(['running', 'cancelling', 'cancelled']);
  });

  it('reports the real outcome of a task that finished and left the active list between two polls', async () => {
    const { sim, client, add } = await setup({ retentionMs: 1_000 });
    const id = add({
      steps: [
        { state: 'Running', progress: 40 },
        { afterMs: 2_000, state: 'Failed', progress: 40, errorMessage: ['Disk copy failed'] },
      ],
    });
    const clock = ManualClock.following(sim);
    // Polls every 60 s: the task ends and leaves the active list (1 s retention) between two polls.
    const error = await caught(clock.settle(client.waitForTask(id, { clock, minIntervalMs: 60_000, maxIntervalMs: 60_000 })));
    expect(await client.listActiveTasks()).toMatchObject({ content: [] });
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({ taskId: id, snapshot: { state: 'failed', error: 'Disk copy failed' } });
  });

  it('ends in TaskCancelledError after cancelTask: Running → Cancelling → Cancelled', async () => {
    const { client, add, wait } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 10 },
        { afterMs: 600_000, state: 'Succeeded', progress: 100 },
      ],
    });
    expect(await client.cancelTask(id)).toBe('accepted');
    expect(await client.getTask(id)).toMatchObject({ state: 'Cancelling' });
    const states: string[] = [];
    const error = await caught(wait(id, { onProgress: (s) => states.push(s.state) }));
    expect(error).toBeInstanceOf(TaskCancelledError);
    expect(states).toEqual(['cancelling', 'cancelled']);
    expect(await client.cancelTask(id)).toBe('already-ended'); // 204: nothing left to cancel
    expect(await caught(client.cancelTask('task-unknown'))).toMatchObject({ name: 'VelostrataError', status: 404 });
  });

  it('iterates a 2,500-task history, finished tasks included, page by page with the filters', async () => {
    const { sim, client, add } = await setup({ retentionMs: 1_000 });
    for (let i = 0; i < 2_500; i++) {
      add({
        steps: [
          { state: 'Running', progress: 0 },
          { afterMs: 1_000, state: i % 5 === 0 ? 'Failed' : 'Succeeded', progress: 100 },
        ],
      });
    }
    await sim.advance(10_000); // every task ended and left the active list
    expect((await client.listActiveTasks()).content).toEqual([]);
    let count = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    for await (const task of client.iterateTasks({ size: 100 })) {
      count += 1;
      expect(task.state === 'Succeeded' || task.state === 'Failed').toBe(true);
      if (count % 100 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(2_500);
    // One page (100 tasks, ~50 KB of JSON) in memory at a time: far below the whole history's size.
    expect(heapPeak - heapBefore).toBeLessThan(64 * 1024 * 1024);
    const failed = await client.listTasks({ size: 1_000, filter: { _type: 'TaskStateFilter', state: ['Failed'] } });
    expect(failed).toMatchObject({ totalElements: 500, totalPages: 1, numberOfElements: 500, number: 0 });
    const one = await client.listTasks({ filter: { _type: 'IdFilter', ids: [{ value: 'task-1001', _type: 'TaskId' }] } });
    expect(one.content?.map((t) => t.id?.value)).toEqual(['task-1001']);
  });

  it('rejects with TaskOutcomeUnknownError when the manager forgets a task before a terminal state', async () => {
    const { wait, add } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 70 },
        { afterMs: 12_000, removed: true },
      ],
    });
    const error = await caught(wait(id));
    expect(error).toBeInstanceOf(TaskOutcomeUnknownError);
    expect(error).toMatchObject({ taskId: id, snapshot: { state: 'running', progress: 0.7 } });
  });

  it('rejects with TaskNotFoundError for a task that is not listed', async () => {
    const { wait, add } = await setup();
    add({ steps: [{ state: 'Running' }] });
    const error = await caught(wait('task-does-not-exist'));
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect(error).toMatchObject({ snapshot: undefined });
  });

  it('rejects with AbortError when the caller aborts mid-wait, and polls no more', async () => {
    const { sim, wait, add, clock } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 1 },
        { afterMs: 30_000, state: 'Running', progress: 50 },
        { afterMs: 600_000, state: 'Succeeded' },
      ],
    });
    const controller = new AbortController();
    const error = await caught(wait(id, { signal: controller.signal, onProgress: (s) => s.progress === 0.5 && controller.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    const requests = sim.velostrata.requests;
    await clock.advance(3_600_000);
    expect(sim.velostrata.requests).toBe(requests);
  });

  it('rejects with WaitTimeoutError after maxWaitMs of clock time', async () => {
    const { wait, add, clock } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 1 },
        { afterMs: 3_600_000, state: 'Succeeded' },
      ],
    });
    const started = clock.now();
    const error = await caught(wait(id, { maxWaitMs: 120_000 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ maxWaitMs: 120_000, snapshot: { state: 'running', progress: 0.01 } });
    expect(clock.now() - started).toBe(120_000);
  });

  it('rides out a burst of 503s and a 429 with Retry-After mid-wait, reporting them, and still succeeds', async () => {
    const { sim, wait, add } = await setup({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1_000 } });
    const id = add({
      steps: [
        { state: 'Running', progress: 10 },
        { afterMs: 60_000, state: 'Succeeded', progress: 100 },
      ],
    });
    const notices: string[] = [];
    let injected = false;
    const done = await wait(id, {
      onProgress: () => {
        if (injected) return;
        injected = true;
        // A 429 asking for 30 s, longer than the transport may wait on its own: the poller waits.
        // Then five 503s: one poll's three attempts (the transport's own retries), two of the next.
        sim.velostrata.injectFault({ kind: 'rate-limited', retryAfterSeconds: 30 }, 1);
        sim.velostrata.injectFault({ kind: 'unavailable' }, 5);
      },
      onTransientFailure: (n) =>
        notices.push(
          `${n.failures} ${n.error instanceof VelostrataError ? n.error.status : n.error.name} ${n.retryInMs >= 30_000 ? 'after 30 s' : 'soon'}`,
        ),
    });
    expect(done.state).toBe('Succeeded');
    expect(notices).toEqual(['1 RetryAfterTooLongError after 30 s', '2 503 soon']);
  });

  it('ends with the typed 401 when the manager refuses the credentials mid-wait', async () => {
    const { sim, wait, add } = await setup();
    const id = add({
      steps: [
        { state: 'Running', progress: 10 },
        { afterMs: 60_000, state: 'Succeeded' },
      ],
    });
    const error = await caught(wait(id, { onProgress: () => sim.velostrata.injectFault({ kind: 'unauthenticated' }, 100) }));
    expect(error).toBeInstanceOf(VelostrataError);
    expect(error).toMatchObject({ status: 401 });
    expect(JSON.stringify(error)).not.toContain(sim.velostrata.password);
  });
});

describe('watchTasks against the simulator', () => {
  it('sees every transition of a whole migration wave exactly once', async () => {
    const { sim, client } = await setup({ scenario: 'wave' });
    const transitions = await followWave(sim, {
      list: () => sim.velostrata.tasks().map(toSnapshot),
      isTerminal: isTerminalTaskState,
      watch: (clock) => client.watchTasks({ ...steady, clock }),
      // The wave is over once every task has finished and left the active list.
      isOver: (polled, recorder) => polled.count === 0 && recorder.allFinished,
    });
    expect(transitions.seen).toEqual(transitions.truth);
    expect(transitions.truth.size).toBeGreaterThan(10);
    expect(transitions.disappeared.size).toBe(transitions.truth.size);
    expect(new Set([...transitions.seen.values()].map((h) => h.at(-1)?.state))).toEqual(new Set(['succeeded', 'failed', 'cancelled']));
  });
});
