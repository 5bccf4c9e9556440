import { createSnapserviceClient, toSnapshot as snapserviceSnapshot, type SnapserviceClient, type TaskFilter } from '@vmtasks/snapservice';
import { createVelostrataClient, toSnapshot as velostrataSnapshot, type VelostrataClient } from '@vmtasks/velostrata';
import type { TaskSnapshot, WaitOptions, WatchEvent, WatchOptions } from '@vmtasks/core';
import type { ApiName } from './board.js';
import type { Connections, SnapserviceConfig, VelostrataConfig } from './config.js';

/**
 * One API as the commands see it: list, watch and wait in the common task model. A thin
 * adapter over each client's own methods; the polling itself is the clients'.
 */
export interface TaskApi {
  readonly name: ApiName;
  /** Where it is, for titles and messages: the URL's origin, never credentials. */
  readonly origin: string;
  list(signal: AbortSignal): Promise<TaskSnapshot[]>;
  watch(options: WatchOptions): AsyncIterable<WatchEvent>;
  /** Resolves when the task succeeded; rejects with the client's typed error otherwise. */
  wait(taskId: string, options: WaitOptions): Promise<void>;
  /** Whether the API lists this task right now (to find which API an id belongs to). */
  lists(taskId: string, signal: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

function velostrataApi(config: VelostrataConfig): TaskApi {
  const client: VelostrataClient = createVelostrataClient({
    baseUrl: config.url,
    username: config.username,
    password: config.password,
    ...(config.tls ? { tls: config.tls } : {}),
  });
  const list = async (signal: AbortSignal): Promise<TaskSnapshot[]> =>
    ((await client.listActiveTasks({ signal })).content ?? []).map(velostrataSnapshot);
  return {
    name: 'velostrata',
    origin: new URL(config.url).host,
    list,
    watch: (options) => client.watchTasks(options),
    wait: async (taskId, options) => {
      await client.waitForTask(taskId, options);
    },
    lists: async (taskId, signal) => (await list(signal)).some((task) => task.id === taskId),
    close: () => client.close(),
  };
}

function snapserviceApi(config: SnapserviceConfig): TaskApi {
  const client: SnapserviceClient = createSnapserviceClient({
    baseUrl: config.url,
    ...(config.sessionId ? { sessionId: config.sessionId } : {}),
    ...(config.authorization ? { authorization: config.authorization } : {}),
    ...(config.tls ? { tls: config.tls } : {}),
  });
  // Statuses were checked against the spec's values when the flags were parsed.
  const filter = (config.filter ?? {}) as TaskFilter;
  return {
    name: 'snapservice',
    origin: new URL(config.url).host,
    list: async (signal) => (await client.listTasks(filter, { signal })).items.map(snapserviceSnapshot),
    watch: (options) => client.watchTasks(filter, options),
    wait: async (taskId, options) => {
      await client.waitForTask(taskId, options);
    },
    lists: async (taskId, signal) => (await client.listTasks({ tasks: [taskId] }, { signal })).items.length > 0,
    close: () => client.close(),
  };
}

/** The configured APIs, Velostrata first. */
export function connect(connections: Connections): TaskApi[] {
  return [
    ...(connections.velostrata ? [velostrataApi(connections.velostrata)] : []),
    ...(connections.snapservice ? [snapserviceApi(connections.snapservice)] : []),
  ];
}
