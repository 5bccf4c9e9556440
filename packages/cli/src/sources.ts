import type { TaskSnapshot, WatchEvent, WatchOptions } from '@vmtasks/core';
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

async function* watchReaching(api: TaskApi, options: WatchOptions): AsyncGenerator<WatchEvent> {
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
  return connections.apis.map((api) => reaching(api.connect()));
}
