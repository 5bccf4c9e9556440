// `waitForTask` and `watchTasks` as OpenTelemetry spans: one INTERNAL span per wait or watch, an
// event per poll, and the polls' call spans as its children. Around the engine, which knows nothing of it.
import type { Telemetry, WaitRecord } from '../transport/telemetry.js';
import type { WatchEvent } from './events.js';
import type { TaskSnapshot } from './snapshot.js';
import {
  type TaskSource,
  type TaskWatch,
  type WaitOptions,
  type WatchTasksOptions,
  type WhenDisappeared,
  waitForTask as untracedWait,
  watchTasks as untracedWatch,
} from './watch.js';

/** A task source that may record its waits and watches (the client's `transport.telemetry`). */
export interface TracedTaskSource<Item> extends TaskSource<Item> {
  telemetry?: Pick<Telemetry, 'ready' | 'wait'> | undefined;
}

/** The same without a listing of its own (a wait fed by a shared poll). */
export type TracedWaitSource<Item> = Omit<TracedTaskSource<Item>, 'list'>;

/**
 * How a client describes its waits and watches to the engine: `operation` and `url` name them in
 * errors; the transport's redactor, classifier and telemetry hide its credentials, retry what its
 * requests retry, and record spans.
 */
export function clientWaitSource<Item>(
  operation: string,
  url: string,
  toSnapshot: (item: Item) => TaskSnapshot | undefined,
  transport: Pick<TracedWaitSource<Item>, 'redactor' | 'classifier' | 'telemetry'>,
): TracedWaitSource<Item> {
  const { redactor, classifier, telemetry } = transport;
  return { toSnapshot, request: { operation, method: 'GET', url }, redactor, classifier, telemetry };
}

/** `list` as polls of `record`, run with its span active. */
function recordedList<Item>(list: TaskSource<Item>['list'], record: WaitRecord): TaskSource<Item>['list'] {
  return record.bind(async (signal: AbortSignal): Promise<readonly Item[]> => {
    try {
      const items = await list(signal);
      record.poll(items.length, undefined);
      return items;
    } catch (error) {
      record.poll(undefined, error);
      throw error;
    }
  });
}

/** The wait's record, or undefined without a provider; a promise only while the API is being loaded (the client's first call). */
function startRecord(source: TracedWaitSource<unknown>, taskId?: string): WaitRecord | undefined | Promise<WaitRecord | undefined> {
  const telemetry = source.telemetry;
  if (!telemetry) return undefined;
  const attributes: Record<string, string> = typeof taskId === 'string' ? { 'vmtasks.task.id': taskId } : {};
  const loading = telemetry.ready();
  return loading
    ? loading.then(() => telemetry.wait(source.request.operation, attributes))
    : telemetry.wait(source.request.operation, attributes);
}

/**
 * `run` as a span named after the source's operation when a tracer provider is registered; `run`
 * gets the record to report polls to. Without one, `run` starts at once, in the caller's tick:
 * waits started together join one shared poll before its first read.
 */
export function traced<T>(
  source: TracedWaitSource<unknown>,
  taskId: string | undefined,
  run: (record: WaitRecord | undefined) => Promise<T>,
): Promise<T> {
  const inRecord = async (record: WaitRecord | undefined): Promise<T> => {
    if (!record) return run(undefined);
    try {
      const result = await run(record);
      record.end(undefined);
      return result;
    } catch (error) {
      record.end(error);
      throw error;
    }
  };
  const record = startRecord(source, taskId);
  return record instanceof Promise ? record.then(inRecord) : inRecord(record);
}

/** `waitForTask` (see watch.ts), a `waitForTask` span when a tracer provider is registered. */
export function waitForTask<Item>(
  source: TracedTaskSource<Item>,
  taskId: string,
  options: WaitOptions & { whenDisappeared: WhenDisappeared },
): Promise<Item> {
  return traced(source, taskId, (record) =>
    untracedWait(record ? { ...source, list: recordedList(source.list, record) } : source, taskId, options),
  );
}

/**
 * `watchTasks` (see watch.ts), a `watchTasks` span from the first event asked for to the end of the
 * loop when a tracer provider is registered. The watch is made at once (a bad `resumeFrom` throws
 * from the call, and `checkpoint()` is there from the start); its polls report to the span once it began.
 */
export function watchTasks<Item>(
  source: TracedTaskSource<Item>,
  options: WatchTasksOptions = {},
): AsyncGenerator<WatchEvent<Item>, void, undefined> & TaskWatch<Item> {
  let list = source.list;
  const inner = untracedWatch({ ...source, list: (signal) => list(signal) }, options);
  async function* events(): AsyncGenerator<WatchEvent<Item>, void, undefined> {
    const record = await startRecord(source);
    if (!record) return yield* inner;
    list = recordedList(source.list, record);
    let failure: unknown;
    try {
      yield* inner;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      record.end(failure);
    }
  }
  return Object.assign(events(), { checkpoint: () => inner.checkpoint() });
}
