// Waits and watches as spans: the SDK's in-memory exporter, a stepped clock, a scripted source.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransportError } from '../errors.js';
import { Redactor } from '../redact.js';
import { Telemetry } from '../transport/telemetry.js';
import { TaskFailedError } from './errors.js';
import type { TaskSnapshot, TaskState } from './snapshot.js';
import { SharedWaits } from './shared-waits.js';
import { type TracedTaskSource, waitForTask, watchTasks } from './traced.js';
import type { WatchClock } from './clock.js';

interface Row {
  id: string;
  state: TaskState;
  error?: string;
}
const toSnapshot = (r: Row): TaskSnapshot => ({ api: 'velostrata', id: r.id, state: r.state, error: r.error });
const SECRET = 'subscription-5ec12e7';

let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;
beforeEach(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
});
afterEach(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});

/** A clock whose waits take no real time. */
function steppedClock(): WatchClock {
  let now = Date.parse('2026-11-23T10:00:00Z');
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

/** A source answering each listing in turn (an Error is thrown), noting which span was active during each. */
function scripted(operation: string, answers: (Row[] | Error)[], telemetry: Telemetry | undefined) {
  const activeSpans: (string | undefined)[] = [];
  let index = 0;
  const source: TracedTaskSource<Row> = {
    list: async () => {
      activeSpans.push(trace.getActiveSpan()?.spanContext().spanId);
      const answer = answers[Math.min(index++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    toSnapshot,
    request: { operation, method: 'GET', url: 'http://127.0.0.1/tasks' },
    redactor: new Redactor([SECRET]),
    telemetry,
  };
  return { source, activeSpans };
}

const transient = () =>
  new TransportError('listTasks: reset', {
    operation: 'listTasks',
    method: 'GET',
    url: 'http://127.0.0.1/tasks',
    attempts: 3,
    code: 'ECONNRESET',
  });

describe('waits and watches as spans', () => {
  it('makes waitForTask a span with an event per poll, its polls running under it, ending in error when the task failed', async () => {
    const telemetry = new Telemetry('http://127.0.0.1:8080');
    const { source, activeSpans } = scripted(
      'waitForTask',
      [[{ id: 't1', state: 'running' }], transient(), [{ id: 't1', state: 'failed', error: `disk full (key ${SECRET})` }]],
      telemetry,
    );
    const error = await waitForTask(source, 't1', { whenDisappeared: 'not-found', clock: steppedClock(), minIntervalMs: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskFailedError);
    const [span, ...others] = exporter.getFinishedSpans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('waitForTask');
    expect(span?.attributes).toMatchObject({
      'vmtasks.operation': 'waitForTask',
      'vmtasks.task.id': 't1',
      'vmtasks.polls': 3,
      'error.type': 'TaskFailedError',
    });
    expect(span?.events.map((event) => event.attributes)).toEqual([
      { 'vmtasks.poll': 1, 'vmtasks.poll.tasks': 1 },
      { 'vmtasks.poll': 2, 'error.type': 'TransportError' },
      { 'vmtasks.poll': 3, 'vmtasks.poll.tasks': 1 },
    ]);
    expect(span?.status.code).toBe(2);
    expect(span?.status.message).toContain('disk full');
    expect(span?.status.message).not.toContain(SECRET);
    expect(activeSpans).toEqual([span?.spanContext().spanId, span?.spanContext().spanId, span?.spanContext().spanId]);
  });

  it('makes watchTasks a span that ends when the loop is left', async () => {
    const telemetry = new Telemetry('http://127.0.0.1:8080');
    const { source } = scripted('watchTasks', [[{ id: 't1', state: 'running' }], [{ id: 't1', state: 'succeeded' }]], telemetry);
    let polled = 0;
    for await (const event of watchTasks(source, { clock: steppedClock(), minIntervalMs: 1_000 })) {
      if (event.type === 'polled' && ++polled === 2) break;
      expect(exporter.getFinishedSpans()).toEqual([]);
    }
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('watchTasks');
    expect(span?.attributes).toMatchObject({ 'vmtasks.polls': 2 });
    expect(span?.attributes['error.type']).toBeUndefined();
    expect(span?.status.code).toBe(0);
  });

  it('records nothing without telemetry (telemetry: false) or without a tracer provider', async () => {
    const { source } = scripted('waitForTask', [[{ id: 't1', state: 'succeeded' }]], undefined);
    await waitForTask(source, 't1', { whenDisappeared: 'not-found', clock: steppedClock() });
    trace.disable();
    const { source: withTelemetry } = scripted('waitForTask', [[{ id: 't1', state: 'succeeded' }]], new Telemetry('http://127.0.0.1'));
    await waitForTask(withTelemetry, 't1', { whenDisappeared: 'not-found', clock: steppedClock() });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('keeps a traced watch resumable: checkpoint() from the start, a bad resumeFrom thrown by the call', async () => {
    const telemetry = new Telemetry('http://127.0.0.1:8080');
    const { source } = scripted('watchTasks', [[{ id: 't1', state: 'running' }]], telemetry);
    expect(() => watchTasks(source, { resumeFrom: { version: 99 } as never })).toThrow(/resumeFrom/);
    const watch = watchTasks(source, { clock: steppedClock() });
    expect(watch.checkpoint().tasks).toEqual({});
    for await (const event of watch) if (event.type === 'polled') break;
    const saved = watch.checkpoint();
    expect(Object.keys(saved.tasks)).toEqual(['t1']);
    const again: string[] = [];
    for await (const event of watchTasks(scripted('watchTasks', [[{ id: 't1', state: 'running' }]], telemetry).source, {
      clock: steppedClock(),
      resumeFrom: saved,
    })) {
      again.push(event.type);
      if (event.type === 'polled') break;
    }
    expect(again).toEqual(['polled']);
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['watchTasks', 'watchTasks']);
  });

  it('makes each shared wait a span of its own with an event per round, while they share one read', async () => {
    const telemetry = new Telemetry('http://127.0.0.1:8080');
    const reads: string[][] = [];
    const waits = new SharedWaits<Row>(
      {
        read: async (ids) => {
          reads.push([...ids]);
          return ids.map((id) => ({ id, state: reads.length === 1 ? 'running' : 'succeeded' }) satisfies Row);
        },
        toSnapshot,
        request: { operation: 'waitForTask', method: 'GET', url: 'http://127.0.0.1/tasks' },
        telemetry,
      },
      'not-found',
    );
    const clock = steppedClock();
    await Promise.all([waits.wait('t1', { clock, minIntervalMs: 1_000 }), waits.wait('t2', { clock, minIntervalMs: 1_000 })]);
    // Every read is for both waits: they share the poll (no read of one task alone).
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const ids of reads) expect(ids.toSorted()).toEqual(['t1', 't2']);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => [span.name, span.attributes['vmtasks.task.id']]).toSorted()).toEqual([
      ['waitForTask', 't1'],
      ['waitForTask', 't2'],
    ]);
    for (const span of spans) expect(span.attributes['vmtasks.polls']).toBeGreaterThanOrEqual(2);
    expect(spans).toHaveLength(2);
  });
});
