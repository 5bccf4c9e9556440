// The snapservice operations, one request each: what is sent, and what a documented answer is.
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import {
  checkedQuery,
  checkRequireAnyOf,
  isRecord,
  MalformedResponseError,
  pathSegment,
  safeUrl,
  type CallOptions,
  type OperationSpec,
  type RequestSummary,
  type Transport,
} from '@vmtasks/core';
import { SnapserviceError } from './error.js';
import { parameterRules, type paths } from './generated/openapi.js';
import {
  isListItem,
  isTaskInfo,
  type ListResult,
  type SessionInfo,
  type TaskFilter,
  type TaskFilterFields,
  type TaskInfo,
} from './model.js';

type Headers = Record<string, string>;

const toError = (status: number, body: unknown, request: RequestSummary): SnapserviceError => new SnapserviceError(status, body, request);

const TASKS = '/api/snapservice/tasks' satisfies keyof paths;
const TASK = '/api/snapservice/tasks/{task}' satisfies keyof paths;
const SESSIONS = '/api/snapservice/sessions' satisfies keyof paths;

const listTasks: OperationSpec<ListResult, SnapserviceError> = {
  operation: 'listTasks',
  method: 'GET',
  path: TASKS,
  accepts: (value): value is ListResult => isRecord(value) && Array.isArray(value['items']) && value['items'].every(isListItem),
  toError,
};
const getTask: OperationSpec<TaskInfo, SnapserviceError> = {
  operation: 'getTask',
  method: 'GET',
  path: TASK,
  accepts: (value): value is TaskInfo => isTaskInfo(value) && typeof value['status'] === 'string',
  toError,
};
const createSession: OperationSpec<string, SnapserviceError> = {
  operation: 'createSession',
  method: 'POST',
  path: SESSIONS,
  accepts: (value): value is string => typeof value === 'string',
  toError,
};
const getSession: OperationSpec<SessionInfo, SnapserviceError> = {
  operation: 'getSession',
  method: 'GET',
  path: SESSIONS,
  accepts: (value): value is SessionInfo => isRecord(value) && typeof value['user'] === 'string',
  toError,
};
const deleteSession: OperationSpec<undefined, SnapserviceError> = {
  operation: 'deleteSession',
  method: 'DELETE',
  path: SESSIONS,
  accepts: (_value): _value is undefined => false, // 204 carries no body
  withoutBody: () => undefined,
  toError,
};

// The parameters `listTasks` takes, one entry per field of the generated type: a field the spec
// adds or drops fails to compile here. Only these are ever put in its URL.
export const LIST_TASKS_PARAMETERS = Object.keys({
  tasks: true,
  services: true,
  operations: true,
  status: true,
  users: true,
} satisfies Record<keyof TaskFilterFields, true>);

// A token goes back out as a header: anything but visible Latin-1 would break (or inject into) it.
const HEADER_SAFE = /^[\x21-\x7e\x80-\xff]+$/;

/** The operations over one transport; each takes the headers to send (auth included) per call. */
export function snapserviceOperations(transport: Transport, baseUrl: string) {
  // The spec's filters are `style: form, explode: true`: one key per value.
  const querySerializer = createQuerySerializer({ array: { style: 'form', explode: true } });
  const sessionsUrl = `${baseUrl}${SESSIONS}`;
  return {
    querySerializer,
    tasksUrl: `${baseUrl}${TASKS}`,
    // The URL comes from openapi-fetch's own serializers, as in `raw`; the request then goes
    // straight to the transport. It is built inside `invoke`, so a bad filter is a typed
    // rejection, never a synchronous throw.
    listTasks: (filter: TaskFilter, headers: Headers, call?: CallOptions): Promise<ListResult> =>
      transport.invoke(
        listTasks,
        () => {
          const query = checkedQuery(filter, 'filter', LIST_TASKS_PARAMETERS);
          checkRequireAnyOf(query, parameterRules.listTasks.requireAnyOf, 'filter');
          const url = createFinalURL(TASKS, { params: { query }, baseUrl, querySerializer, pathSerializer: defaultPathSerializer });
          return { method: 'GET', url, headers };
        },
        call,
      ),
    getTask: (taskId: string, headers: Headers, call?: CallOptions): Promise<TaskInfo> =>
      transport.invoke(
        getTask,
        () => ({ method: 'GET', url: `${baseUrl}${TASK.replace('{task}', pathSegment(taskId, 'taskId'))}`, headers }),
        call,
      ),
    createSession: async (headers: Headers, call?: CallOptions): Promise<string> => {
      const token = await transport.invoke(createSession, { method: 'POST', url: sessionsUrl, headers }, call);
      if (!HEADER_SAFE.test(token)) {
        // Not kept in the error: whatever it is, it was meant to be a secret.
        const where = { operation: 'createSession', method: 'POST', url: safeUrl(sessionsUrl), status: 201, rawBody: '' };
        throw new MalformedResponseError('createSession: the session token is empty or cannot be sent as a header', where);
      }
      return token;
    },
    getSession: (headers: Headers, call?: CallOptions): Promise<SessionInfo> =>
      transport.invoke(getSession, { method: 'GET', url: sessionsUrl, headers }, call),
    deleteSession: (headers: Headers, call?: CallOptions): Promise<undefined> =>
      transport.invoke(deleteSession, { method: 'DELETE', url: sessionsUrl, headers }, call),
  };
}
