import createClient, { type Client } from 'openapi-fetch';
import {
  ApiError,
  isRecord,
  Redactor,
  requireBaseUrl,
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
      text('message') ??
      `HTTP ${status} from ${request.operation}` + (typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : '');
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
  /** Releases sockets held for custom TLS settings. */
  close(): Promise<void>;
}

const listActiveTasks: OperationSpec<TaskDescriptionPage, VelostrataError> = {
  operation: 'getActiveTasks',
  method: 'GET',
  accepts: (value): value is TaskDescriptionPage =>
    isRecord(value) && (value['content'] === undefined || Array.isArray(value['content'])),
  toError: (status, body, request) => new VelostrataError(status, body, request),
};

export function createVelostrataClient(options: VelostrataClientOptions): VelostrataClient {
  const baseUrl = requireBaseUrl(options.baseUrl, 'https://mgr.example.com/velostrata/api/v42');
  if (typeof options.password !== 'string' || options.password === '') {
    throw new TypeError('password is required: the subscription ID of the Velostrata Manager');
  }
  const username = options.username ?? 'apiuser';
  const transport = new Transport({ ...options, redactor: Redactor.forBasicAuth(username, options.password) });
  const headers = {
    ...options.headers,
    Accept: 'application/json',
    Authorization: `Basic ${Buffer.from(`${username}:${options.password}`).toString('base64')}`,
  };
  const raw = createClient<paths>({ baseUrl, fetch: transport.fetchFor(), headers });
  // No parameters to serialize: the URL is the base URL and the spec's path.
  const tasksUrl = `${baseUrl}${'/tasks' satisfies keyof paths}`;

  const list = (call?: CallOptions): Promise<TaskDescriptionPage> =>
    transport.invoke(listActiveTasks, { method: 'GET', url: tasksUrl, headers }, call);

  return {
    raw,
    listActiveTasks: list,
    ...taskWatching(list, safeUrl(tasksUrl), transport.redactor),
    close: () => transport.close(),
  };
}
