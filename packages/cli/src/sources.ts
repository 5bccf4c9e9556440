import { createSnapserviceClient, toSnapshot as snapserviceSnapshot, type SnapserviceClient, type TaskFilter } from '@vmtasks/snapservice';
import { createVelostrataClient, toSnapshot as velostrataSnapshot, type CancelOutcome, type VelostrataClient } from '@vmtasks/velostrata';
import { ApiError, type TaskSnapshot, type WaitOptions, type WatchEvent, type WatchTasksOptions } from '@vmtasks/core';
import type { ApiName } from './board.js';
import type { Connections, SnapserviceConfig, VelostrataConfig } from './config.js';
import { isUnreachable, unreachableOr } from './unreachable.js';

/**
 * One API as the commands see it: list, watch and wait in the common task model. A thin
 * adapter over each client's own methods; the polling itself is the clients'. An appliance
 * that cannot be reached rejects with `UnreachableError` (exit 4), whichever method asked.
 */
export interface TaskApi {
  readonly name: ApiName;
  /** Which appliance this is, as the user named it (a fleet config's appliance name; the API's name for the environment's single pair). */
  readonly appliance: string;
  /** Where it is, for titles and messages: the URL's host, never credentials. */
  readonly origin: string;
  list(signal: AbortSignal): Promise<TaskSnapshot[]>;
  /**
   * The watch's events. Trouble after the first answer is ridden out (`transient-failure`
   * events); an appliance that cannot be reached before it ever answered ends the watch with
   * `UnreachableError`: a wrong URL or a dead appliance should not look like a quiet one.
   */
  watch(options: WatchTasksOptions): AsyncIterable<WatchEvent>;
  /** Resolves when the task succeeded; rejects with the client's typed error otherwise. */
  wait(taskId: string, options: WaitOptions): Promise<void>;
  /**
   * The ids this API lists right now that are `idOrPrefix` (then only it) or start with it: a
   * task id cut short in a table is still found, as git and docker find a short id.
   */
  find(idOrPrefix: string, signal: AbortSignal): Promise<string[]>;
  /** Why a shortened id cannot be looked up here, when it cannot (said when an id is not found). */
  readonly prefixHint: string | undefined;
  /** One task with every field the API gives (`raw`), or undefined when the API does not know the id. */
  get(taskId: string, signal: AbortSignal): Promise<FoundTask | undefined>;
  /** Asks the appliance to cancel a task; undefined for an API without a cancel operation (snapservice). */
  readonly cancel: ((taskId: string, signal: AbortSignal) => Promise<CancelOutcome>) | undefined;
  /** Every task the appliance remembers, finished ones included, `pageSize` at a time; undefined for an API without a history (snapservice). */
  readonly history: ((pageSize: number, signal: AbortSignal) => AsyncIterable<TaskSnapshot>) | undefined;
  close(): Promise<void>;
}

/** A task as `show` prints it: the common model and the API's own answer. */
export interface FoundTask {
  snapshot: TaskSnapshot;
  raw: unknown;
}

/** The API's answer, or undefined when it said 404 (no such task). */
async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** `id` alone when it is listed, else the listed ids that start with it. */
function matching(idOrPrefix: string, listed: readonly string[]): string[] {
  return listed.includes(idOrPrefix) ? [idOrPrefix] : listed.filter((id) => id.startsWith(idOrPrefix));
}

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
    appliance: 'velostrata',
    origin: new URL(config.url).host,
    list,
    watch: (options) => client.watchTasks(options),
    wait: async (taskId, options) => {
      await client.waitForTask(taskId, options);
    },
    find: async (idOrPrefix, signal) => {
      // A whole id is asked for by id (a finished task leaves the active list); a shortened one is looked for among the active tasks.
      if (await unlessNotFound(client.getTask(idOrPrefix, { signal }))) return [idOrPrefix];
      return matching(
        idOrPrefix,
        (await list(signal)).map((task) => task.id),
      );
    },
    prefixHint: undefined,
    get: async (taskId, signal) => {
      const raw = await unlessNotFound(client.getTask(taskId, { signal }));
      return raw && { snapshot: velostrataSnapshot(raw), raw };
    },
    cancel: (taskId, signal) => client.cancelTask(taskId, { signal }),
    history: (pageSize, signal) => mapAsync(client.iterateTasks({ size: pageSize }, { signal }), velostrataSnapshot),
    close: () => client.close(),
  };
}

async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}

function snapserviceApi(config: SnapserviceConfig): TaskApi {
  const client: SnapserviceClient = createSnapserviceClient({
    baseUrl: config.url,
    ...(config.login ? config.login : {}),
    ...(config.sessionId ? { sessionId: config.sessionId } : {}),
    ...(config.authorization ? { authorization: config.authorization } : {}),
    ...(config.tls ? { tls: config.tls } : {}),
  });
  // Statuses were checked against the spec's values when the flags were parsed.
  const filter = (config.filter ?? {}) as TaskFilter;
  return {
    name: 'snapservice',
    appliance: 'snapservice',
    origin: new URL(config.url).host,
    list: async (signal) => (await client.listTasks(filter, { signal })).items.map(snapserviceSnapshot),
    watch: (options) => client.watchTasks(filter, options),
    wait: async (taskId, options) => {
      await client.waitForTask(taskId, options);
    },
    find: async (idOrPrefix, signal) => {
      // snapservice lists only named tasks or services: a whole id is asked for by name, a
      // shortened one is looked for among the tasks of the services configured.
      if ((await client.listTasks({ tasks: [idOrPrefix] }, { signal })).items.length > 0) return [idOrPrefix];
      const [service, ...more] = config.services ?? [];
      if (service === undefined) return [];
      const listed = await client.listTasks({ services: [service, ...more] }, { signal });
      return matching(
        idOrPrefix,
        listed.items.map((item) => snapserviceSnapshot(item).id),
      );
    },
    prefixHint: config.services
      ? undefined
      : 'a shortened snapservice id is looked for among the tasks of SNAPSERVICE_SERVICES, which is not set',
    get: async (taskId, signal) => {
      const info = await unlessNotFound(client.getTask(taskId, { signal }));
      return info && { snapshot: snapserviceSnapshot({ task: taskId, info }), raw: info };
    },
    cancel: undefined,
    history: undefined,
    close: () => client.close(),
  };
}

/** The configured APIs, Velostrata first. */
export function connect(connections: Connections): TaskApi[] {
  return [
    ...(connections.velostrata ? [velostrataApi(connections.velostrata)] : []),
    ...(connections.snapservice ? [snapserviceApi(connections.snapservice)] : []),
  ].map(reaching);
}
