import type { TaskSnapshot, WatchEvent, WatchTasksOptions } from '@vmtasks/core';
import type { TaskApi } from './apis/index.js';
import type { Connections } from './config.js';
import { isUnreachable, unreachableOr } from './unreachable.js';

export type { FoundTask, TaskApi } from './apis/index.js';

/** Every call of `api` with the appliance's unreachability as `UnreachableError`, and the watch ended by it before a first answer. */
function reaching(api: TaskApi): TaskApi {
  const rethrow = (error: unknown): never => {
    throw unreachableOr(api, error);
  };
  return {
    ...api,
    list: (signal) => api.list(signal).catch(rethrow),
    find: (idOrPrefix, signal) => api.find(idOrPrefix, signal).catch(rethrow),
    wait: (taskId, options) => api.wait(taskId, options).catch(rethrow),
    watch: (options) => watchReaching(api, options),
    get: (taskId, signal) => api.get(taskId, signal).catch(rethrow),
    cancel: api.cancel && ((taskId, signal) => api.cancel!(taskId, signal).catch(rethrow)),
    history: api.history && ((pageSize, signal) => historyReaching(api, api.history!(pageSize, signal))),
  };
}

async function* historyReaching(api: TaskApi, history: AsyncIterable<TaskSnapshot>): AsyncGenerator<TaskSnapshot> {
  try {
    yield* history;
  } catch (error) {
    throw unreachableOr(api, error);
  }
}

async function* watchReaching(api: TaskApi, options: WatchTasksOptions): AsyncGenerator<WatchEvent> {
  let answered = false;
  try {
    for await (const event of api.watch(options)) {
      if (event.type === 'polled') answered = true;
      else if (event.type === 'transient-failure' && !answered && isUnreachable(event.error)) throw unreachableOr(api, event.error);
      yield event;
    }
  } catch (error) {
    throw unreachableOr(api, error);
  }
}

/** The configured APIs, each an appliance, in the configuration's order. */
export function connect(connections: Connections): TaskApi[] {
  return connections.apis.map((api) => reaching(stamping(api.connect())));
}

/** A snapshot with the appliance it came from: two appliances of one API may both have a `task-1001`. */
export type ApplianceSnapshot = TaskSnapshot & { appliance: string };

/** Every snapshot `api` gives, stamped with its appliance (rows, events and JSON name it). */
function stamping(api: TaskApi): TaskApi {
  const stamp = (snapshot: TaskSnapshot): ApplianceSnapshot => ({ ...snapshot, appliance: api.appliance });
  async function* events(options: WatchTasksOptions): AsyncGenerator<WatchEvent> {
    for await (const event of api.watch(options)) yield 'snapshot' in event ? { ...event, snapshot: stamp(event.snapshot) } : event;
  }
  async function* history(items: AsyncIterable<TaskSnapshot>): AsyncGenerator<TaskSnapshot> {
    for await (const snapshot of items) yield stamp(snapshot);
  }
  return {
    ...api,
    list: async (signal) => (await api.list(signal)).map(stamp),
    watch: (options) => events(options),
    wait: (taskId, options) =>
      api.wait(taskId, { ...options, ...(options.onProgress ? { onProgress: (snapshot) => options.onProgress!(stamp(snapshot)) } : {}) }),
    get: async (taskId, signal) => {
      const found = await api.get(taskId, signal);
      return found && { ...found, snapshot: stamp(found.snapshot) };
    },
    history: api.history && ((pageSize, signal) => history(api.history!(pageSize, signal))),
  };
}

/** `velostrata` for the environment's pair, `vel-east (velostrata)` for a fleet config's appliance. */
export const applianceLabel = (api: Pick<TaskApi, 'name' | 'appliance'>): string =>
  api.appliance === api.name ? api.name : `${api.appliance} (${api.name})`;
