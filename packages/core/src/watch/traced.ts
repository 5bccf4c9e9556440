// `waitForTask` and `watchTasks` as OpenTelemetry spans: one INTERNAL span per wait or watch, an
// event per poll, and the polls' call spans as its children. Around the engine, which knows nothing of it.
import type { Telemetry, WaitRecord } from '../transport/telemetry.js';
import type { WatchEvent } from './events.js';
import {
  type TaskSource,
  type WaitOptions,
  type WatchOptions,
  type WhenDisappeared,
  waitForTask as untracedWait,
  watchTasks as untracedWatch,
} from './watch.js';

/** A task source that may record its waits and watches (the client's `transport.telemetry`). */
export interface TracedTaskSource<Item> extends TaskSource<Item> {
  telemetry?: Pick<Telemetry, 'ready' | 'wait'> | undefined;
}

/** The source whose listings are polls of `record`, run with its span active. */
function recordedSource<Item>(source: TaskSource<Item>, record: WaitRecord): TaskSource<Item> {
  const list = record.bind(async (signal: AbortSignal): Promise<readonly Item[]> => {
    try {
      const items = await source.list(signal);
      record.poll(items.length, undefined);
      return items;
    } catch (error) {
      record.poll(undefined, error);
      throw error;
    }
  });
  return { ...source, list };
}

async function startRecord(source: TracedTaskSource<unknown>, name: string, taskId?: string): Promise<WaitRecord | undefined> {
  const telemetry = source.telemetry;
  if (!telemetry) return undefined;
  // The API is loaded with the client's first call; a wait may be that call.
  const loading = telemetry.ready();
  if (loading) await loading;
  return telemetry.wait(name, typeof taskId === 'string' ? { 'vmtasks.task.id': taskId } : {});
}

/** `waitForTask` (see watch.ts), a `waitForTask` span when a tracer provider is registered. */
export async function waitForTask<Item>(
  source: TracedTaskSource<Item>,
  taskId: string,
  options: WaitOptions & { whenDisappeared: WhenDisappeared },
): Promise<Item> {
  const record = await startRecord(source, source.request.operation, taskId);
  if (!record) return untracedWait(source, taskId, options);
  try {
    const item = await untracedWait(recordedSource(source, record), taskId, options);
    record.end(undefined);
    return item;
  } catch (error) {
    record.end(error);
    throw error;
  }
}

/** `watchTasks` (see watch.ts), a `watchTasks` span from the first event asked for to the end of the loop, when a tracer provider is registered. */
export async function* watchTasks<Item>(
  source: TracedTaskSource<Item>,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent<Item>, void, undefined> {
  const record = await startRecord(source, source.request.operation);
  if (!record) return yield* untracedWatch(source, options);
  let failure: unknown;
  try {
    yield* untracedWatch(recordedSource(source, record), options);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    record.end(failure);
  }
}
