import createClient, { createFinalURL, createQuerySerializer, defaultPathSerializer, type Client } from 'openapi-fetch';
import {
  ApiError,
  checkedQuerySerializer,
  checkQuery,
  checkRequireAnyOf,
  formatMessage,
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
import { parameterRules, vapiErrorTypeValues, type components, type operations, type paths } from './generated/openapi.js';
import { taskWatching, type TaskWatching } from './watch.js';

export type ListResult = components['schemas']['ListResult'];
export type ListItem = components['schemas']['ListItem'];
export type TaskInfo = components['schemas']['TaskInfo'];
export type TaskStatus = components['schemas']['TaskStatus'];
export type LocalizableMessage = components['schemas']['LocalizableMessage'];
export type LocalizationParam = components['schemas']['LocalizationParam'];
export type VapiError = components['schemas']['VapiError'];
/** `TaskInfo.error`: a vAPI error whose properties may all be missing (the vendor's example is `{}`). */
export type TaskError = components['schemas']['TaskError'];
export type VapiErrorType = components['schemas']['VapiErrorType'];
/** The `Tasks.FilterSpec` as the spec's parameters give it: every field optional. */
export type TaskFilterFields = NonNullable<operations['listTasks']['parameters']['query']>;
/** An array with at least one element. */
export type NonEmptyArray<T> = [T, ...T[]];
type RequiredField = (typeof parameterRules.listTasks.requireAnyOf)[number];
/**
 * The filter `listTasks` takes: a task matches when it matches every field set (values within a
 * field: any of them). The appliance refuses a filter that names neither `tasks` nor `services`
 * (the spec's `x-vmtasks-require-any-of`), so the type requires a non-empty array of at least one.
 */
export type TaskFilter = {
  [Field in RequiredField]: Omit<TaskFilterFields, Field> & { [F in Field]-?: NonEmptyArray<NonNullable<TaskFilterFields[F]>[number]> };
}[RequiredField];

export interface SnapserviceClientOptions extends TransportOptions {
  /** The host root, e.g. `https://snap.example.com`. */
  baseUrl: string;
  /** Sent as `vmware-api-session-id` (newer releases). */
  sessionId?: string;
  /** Sent verbatim as `Authorization`, e.g. `SIGN token="…"` (older releases). */
  authorization?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

// The vAPI REST binding's status for each standard error, read backwards: what a body without
// a readable `error_type` most likely was.
const ERROR_TYPE_BY_STATUS: Readonly<Record<number, VapiErrorType>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  500: 'ERROR',
  503: 'SERVICE_UNAVAILABLE',
  504: 'TIMED_OUT',
};

const VAPI_ERROR_TYPES: ReadonlySet<string> = new Set(vapiErrorTypeValues);

function isVapiErrorType(value: unknown): value is VapiErrorType {
  return typeof value === 'string' && VAPI_ERROR_TYPES.has(value);
}

function isLocalizableMessage(value: unknown): value is LocalizableMessage {
  return isRecord(value) && typeof value['id'] === 'string' && typeof value['default_message'] === 'string';
}

/** A localizable message in English, its `{0}` placeholders filled in. */
export function formatLocalizable(message: LocalizableMessage): string {
  return formatMessage(message.default_message, Array.isArray(message.args) ? message.args : []);
}

/** The readable messages of a vAPI error (a response body or a task's `error`), however partial it is. */
export function vapiMessages(error: unknown): LocalizableMessage[] {
  return isRecord(error) && Array.isArray(error['messages']) ? error['messages'].filter(isLocalizableMessage) : [];
}

/**
 * A vAPI standard error from the snapservice. `errorType` is always one of the 25 standard
 * errors: the body's `error_type`, or, when the body is unreadable, the one its status stands for.
 */
export class SnapserviceError extends ApiError {
  readonly errorType: VapiErrorType;
  readonly messages: LocalizableMessage[];
  readonly data: unknown;
  /** The authentication challenge of a 401 (`UNAUTHENTICATED`) or 403 (`UNAUTHORIZED`) error, if the server sent one. */
  readonly challenge: string | undefined;

  constructor(status: number, body: unknown, request: RequestSummary) {
    const vapi = isRecord(body) ? body : undefined;
    const errorType = isVapiErrorType(vapi?.['error_type']) ? vapi['error_type'] : (ERROR_TYPE_BY_STATUS[status] ?? 'ERROR');
    const messages = vapiMessages(vapi);
    const first = messages[0];
    const message = first
      ? formatLocalizable(first)
      : `HTTP ${status} ${errorType} from ${request.operation}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
    super(message, { ...request, status, body });
    this.errorType = errorType;
    this.messages = messages;
    this.data = vapi?.['data'];
    this.challenge = typeof vapi?.['challenge'] === 'string' ? vapi['challenge'] : undefined;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), errorType: this.errorType, challenge: this.challenge };
  }
}

export interface SnapserviceClient extends TaskWatching {
  /**
   * Lists at most 1000 tasks matching `filter` (`GET /api/snapservice/tasks`). A filter without
   * `tasks` or `services` rejects with `InvalidRequestError` before anything is sent.
   */
  listTasks(filter: TaskFilter, options?: CallOptions): Promise<ListResult>;
  /**
   * The typed openapi-fetch client, with the same auth, timeouts and retries. It sends what it is
   * given, rule-breaking filters included (to see what a server answers to them).
   */
  readonly raw: Client<paths>;
  /** Releases the client's sockets once in-flight calls end. Idempotent; later calls reject with `ClientClosedError`. */
  close(): Promise<void>;
}

// The fields toSnapshot and the waiters read, with the spec's types.
const INFO_FIELDS = {
  operation: 'string',
  status: 'string',
  target: 'object',
  progress: 'object',
  description: 'object',
  start_time: 'string',
  end_time: 'string',
  user: 'string',
} as const;
const PROGRESS_FIELDS = { total: 'number', completed: 'number', message: 'object' } as const;

const isReadableMessage = (value: unknown): boolean =>
  value === undefined || value === null || (isLocalizableMessage(value) && hasFieldTypes(value, { args: 'string[]' }));

/** A listed task whose fields the client reads have the spec's types; anything else is a malformed answer. */
function isListItem(value: unknown): value is ListItem {
  if (!isRecord(value) || typeof value['task'] !== 'string' || !hasFieldTypes(value['info'], INFO_FIELDS)) return false;
  const { target, progress, description } = value['info'];
  return (
    hasFieldTypes(target ?? {}, { id: 'string' }) &&
    hasFieldTypes(progress ?? {}, PROGRESS_FIELDS) &&
    isReadableMessage(isRecord(progress) ? progress['message'] : undefined) &&
    isReadableMessage(description)
  );
}

const listTasks: OperationSpec<ListResult, SnapserviceError> = {
  operation: 'listTasks',
  method: 'GET',
  accepts: (value): value is ListResult => isRecord(value) && Array.isArray(value['items']) && value['items'].every(isListItem),
  toError: (status, body, request) => new SnapserviceError(status, body, request),
};

export function createSnapserviceClient(options: SnapserviceClientOptions): SnapserviceClient {
  const baseUrl = requireBaseUrl(options.baseUrl, 'https://snap.example.com');
  const auth: Record<string, string> = {};
  if (options.sessionId !== undefined)
    auth['vmware-api-session-id'] = requireCredential(options.sessionId, 'sessionId', 'the vmware-api-session-id', true);
  if (options.authorization !== undefined)
    auth['Authorization'] = requireCredential(options.authorization, 'authorization', 'the Authorization header value', true);
  const userHeaders = requireHeaders(options.headers);
  const transport = new Transport({
    ...options,
    baseUrl,
    redactor: new Redactor([options.sessionId, options.authorization]).withHeaders({ ...userHeaders, ...auth }),
  });
  const headers = { ...userHeaders, Accept: 'application/json', ...auth };
  // The spec's filters are `style: form, explode: true`: one key per value.
  const querySerializer = createQuerySerializer<TaskFilterFields>({ array: { style: 'form', explode: true } });
  const raw = createClient<paths>({
    baseUrl,
    fetch: transport.fetchFor(),
    querySerializer: checkedQuerySerializer(querySerializer, { operation: 'raw', method: 'GET', url: transport.origin }),
    headers,
  });
  const tasksPath = '/api/snapservice/tasks' satisfies keyof paths;

  // The URL comes from openapi-fetch's own serializers, as in `raw`; the request then goes
  // straight to the transport, without building a Request object per call. It is built inside
  // `invoke`, so a bad filter is a typed rejection, never a synchronous throw.
  const list = (filter: TaskFilter, call?: CallOptions): Promise<ListResult> =>
    transport.invoke(
      listTasks,
      () => {
        checkQuery(filter, 'filter');
        checkRequireAnyOf(filter, parameterRules.listTasks.requireAnyOf, 'filter');
        const query = { params: { query: filter }, baseUrl, querySerializer, pathSerializer: defaultPathSerializer };
        return { method: 'GET', url: createFinalURL(tasksPath, query), headers };
      },
      call,
    );

  return {
    raw: transport.guardRaw(raw),
    listTasks: list,
    ...taskWatching(list, safeUrl(`${baseUrl}${tasksPath}`), transport.redactor),
    close: () => transport.close(),
  };
}
