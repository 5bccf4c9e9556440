import createClient, { type Client } from 'openapi-fetch';
import {
  ApiError,
  ConfigurationError,
  hasFieldTypes,
  isRecord,
  Redactor,
  requireBaseUrl,
  requireCredential,
  requireHeaders,
  safeUrl,
  Transport,
  type CallOptions,
  type OperationSpec,
  type RequestSummary,
  type TransportOptions,
} from '@vmtasks/core';
import type { components, paths } from './generated/openapi.js';
import { taskWatching, type TaskWatching } from './watch.js';

export type TaskDescriptionPage = components['schemas']['TaskDescriptionPage'];
export type TaskDescription = components['schemas']['TaskDescription'];
export type TaskState = components['schemas']['TaskState'];
/** The task types listed in the spec; the API may send others (see `TaskType`). */
export type KnownTaskType = components['schemas']['KnownTaskType'];
/** A known task type, or one a newer release added: never rejected. */
export type TaskType = KnownTaskType | (string & {});
export type EntityId = components['schemas']['EntityId'];
export type TaskId = components['schemas']['TaskId'];
export type ErrorInfo = components['schemas']['ErrorInfo'];

export interface VelostrataClientOptions extends TransportOptions {
  /** The versioned API root, e.g. `https://mgr.example.com/velostrata/api/v42`. */
  baseUrl: string;
  /** Default `apiuser`. */
  username?: string;
  /** The subscription ID of the Velostrata Manager. */
  password: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** An error status from the Velostrata Manager, with its `ErrorInfo` body. */
export class VelostrataError extends ApiError {
  /** `ErrorInfo.errorCode`, when the body had one. */
  readonly errorCode: string | undefined;

  constructor(status: number, body: unknown, request: RequestSummary) {
    const info = isRecord(body) ? body : undefined;
    const text = (key: string): string | undefined => (typeof info?.[key] === 'string' ? info[key] : undefined);
    const message =
      text('message') ?? `HTTP ${status} from ${request.operation}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
    super(message, { ...request, url: text('url') ?? request.url, status, body });
    this.errorCode = text('errorCode');
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), errorCode: this.errorCode };
  }
}

export interface VelostrataClient extends TaskWatching {
  /** Lists the active management tasks (`GET /tasks`, getActiveTasks). */
  listActiveTasks(options?: CallOptions): Promise<TaskDescriptionPage>;
  /** The typed openapi-fetch client, with the same auth, timeouts and retries. */
  readonly raw: Client<paths>;
  /** Releases the client's sockets once in-flight calls end. Idempotent; later calls reject with `ClientClosedError`. */
  close(): Promise<void>;
}

// The fields toSnapshot and the waiters read, with the spec's types.
const TASK_FIELDS = {
  id: 'object',
  entity: 'object',
  taskType: 'string',
  state: 'string',
  progress: 'number',
  progressMessage: 'string[]',
  errorMessage: 'string[]',
  errorDetails: 'string',
  startTime: 'string',
  endTime: 'string',
  username: 'string',
} as const;
const ID_FIELDS = { value: 'string' } as const;

/** A task whose fields the client reads have the spec's types; anything else is a malformed answer. */
function isTaskDescription(value: unknown): value is TaskDescription {
  return (
    hasFieldTypes(value, TASK_FIELDS) && hasFieldTypes(value['id'] ?? {}, ID_FIELDS) && hasFieldTypes(value['entity'] ?? {}, ID_FIELDS)
  );
}

const listActiveTasks: OperationSpec<TaskDescriptionPage, VelostrataError> = {
  operation: 'getActiveTasks',
  method: 'GET',
  accepts: (value): value is TaskDescriptionPage =>
    isRecord(value) && (value['content'] === undefined || (Array.isArray(value['content']) && value['content'].every(isTaskDescription))),
  toError: (status, body, request) => new VelostrataError(status, body, request),
};

export function createVelostrataClient(options: VelostrataClientOptions): VelostrataClient {
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
  // No parameters to serialize: the URL is the base URL and the spec's path.
  const tasksUrl = `${baseUrl}${'/tasks' satisfies keyof paths}`;

  const list = (call?: CallOptions): Promise<TaskDescriptionPage> =>
    transport.invoke(listActiveTasks, { method: 'GET', url: tasksUrl, headers }, call);

  return {
    raw: transport.guardRaw(raw),
    listActiveTasks: list,
    ...taskWatching(list, safeUrl(tasksUrl), transport.redactor),
    close: () => transport.close(),
  };
}
