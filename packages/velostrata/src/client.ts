import createClient, { type Client } from 'openapi-fetch';
import {
  ConfigurationError,
  Redactor,
  requireBaseUrl,
  requireCredential,
  requireHeaders,
  requireOptions,
  safeUrl,
  Transport,
  type CallOptions,
  type TransportOptions,
} from '@vmtasks/core';
import type { paths } from './generated/openapi.js';
import type { PageRequest, TaskDescription, TaskDescriptionPage } from './model.js';
import { taskOperations, type CancelOutcome } from './operations.js';
import { iteratePages, type IterateOptions } from './pages.js';
import { taskWatching, type TaskWatching } from './watch.js';

export interface VelostrataClientOptions extends TransportOptions {
  /** The versioned API root, e.g. `https://mgr.example.com/velostrata/api/v42`. */
  baseUrl: string;
  /** Default `apiuser`. */
  username?: string | undefined;
  /** The subscription ID of the Velostrata Manager. */
  password: string;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

export interface VelostrataClient extends TaskWatching {
  /** Lists the active management tasks (`GET /tasks`, getActiveTasks). */
  listActiveTasks(options?: CallOptions): Promise<TaskDescriptionPage>;
  /** One task, active or finished (`GET /tasks/{taskId}`, getTask); an unknown id is a 404 `VelostrataError`. */
  getTask(taskId: string, options?: CallOptions): Promise<TaskDescription>;
  /**
   * Asks the manager to cancel a task (`DELETE /tasks/{taskId}`, cancelTask): `'accepted'` (202)
   * when it is being cancelled (it moves through `Cancelling` to `Cancelled`; `waitForTask` follows
   * it), `'already-ended'` (204) when it had finished. A DELETE is idempotent, so it is retried
   * like a GET.
   */
  cancelTask(taskId: string, options?: CallOptions): Promise<CancelOutcome>;
  /** One page of every task, finished ones included, narrowed by `request.filter` (`POST /tasks`, listTasks). */
  listTasks(request?: PageRequest, options?: CallOptions): Promise<TaskDescriptionPage>;
  /** Every task of every page from `request.page` on, fetched one page at a time as the loop asks (see `IterateOptions`). */
  iterateTasks(request?: PageRequest, options?: IterateOptions): AsyncIterable<TaskDescription>;
  /** The typed openapi-fetch client, with the same auth, timeouts and retries. */
  readonly raw: Client<paths>;
  /** Releases the client's sockets once in-flight calls end. Idempotent; later calls reject with `ClientClosedError`. */
  close(): Promise<void>;
}

export function createVelostrataClient(options: VelostrataClientOptions): VelostrataClient {
  requireOptions(options, 'createVelostrataClient', "{ baseUrl, password: '…' }");
  const baseUrl = requireBaseUrl(options.baseUrl, 'https://mgr.example.com/velostrata/api/v42');
  const password = requireCredential(options.password, 'password', 'the subscription ID of the Velostrata Manager');
  const username = options.username === undefined ? 'apiuser' : requireCredential(options.username, 'username', 'the API user');
  if (username.includes(':')) throw new ConfigurationError('username', 'username must not contain ":" (Basic authentication)');
  const userHeaders = requireHeaders(options.headers);
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const transport = new Transport({
    ...options,
    baseUrl,
    redactor: Redactor.forBasicAuth(username, password).withHeaders({ ...userHeaders }),
  });
  const headers = { ...userHeaders, Accept: 'application/json', Authorization: authorization };
  const raw = createClient<paths>({ baseUrl, fetch: transport.fetchFor(), headers });
  const operations = taskOperations(transport, baseUrl, headers);

  return {
    raw: transport.guardRaw(raw),
    listActiveTasks: operations.listActiveTasks,
    getTask: operations.getTask,
    cancelTask: operations.cancelTask,
    listTasks: operations.listTasks,
    iterateTasks: (request, iterate) => iteratePages(operations.listTasks, operations.tasksUrl, request, iterate),
    ...taskWatching(operations, safeUrl(operations.tasksUrl), transport),
    close: () => transport.close(),
  };
}
