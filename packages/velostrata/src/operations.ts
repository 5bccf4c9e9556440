// The Velostrata task operations, one request each: what is sent, and what a documented answer is.
import {
  ArgumentProblem,
  hasFieldTypes,
  isRecord,
  pathSegment,
  type CallOptions,
  type OperationSpec,
  type PreparedRequest,
  type RequestSummary,
  type Transport,
} from '@vmtasks/core';
import { VelostrataError } from './error.js';
import type { paths } from './generated/openapi.js';
import type { PageRequest, TaskDescription, TaskDescriptionPage } from './model.js';

/** What a cancellation answered: 202, it started; 204, the task had already ended and nothing changed. */
export type CancelOutcome = 'accepted' | 'already-ended';

const toError = (status: number, body: unknown, request: RequestSummary): VelostrataError => new VelostrataError(status, body, request);

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

const isPage = (value: unknown): value is TaskDescriptionPage =>
  isRecord(value) && (value['content'] === undefined || (Array.isArray(value['content']) && value['content'].every(isTaskDescription)));

const TASKS = '/tasks' satisfies keyof paths;
const TASK = '/tasks/{taskId}' satisfies keyof paths;

const getActiveTasks: OperationSpec<TaskDescriptionPage, VelostrataError> = {
  operation: 'getActiveTasks',
  method: 'GET',
  path: TASKS,
  accepts: isPage,
  toError,
};
const listTasks: OperationSpec<TaskDescriptionPage, VelostrataError> = {
  operation: 'listTasks',
  method: 'POST',
  path: TASKS,
  accepts: isPage,
  toError,
};
const getTask: OperationSpec<TaskDescription, VelostrataError> = {
  operation: 'getTask',
  method: 'GET',
  path: TASK,
  accepts: isTaskDescription,
  toError,
};
const cancelTask: OperationSpec<CancelOutcome, VelostrataError> = {
  operation: 'cancelTask',
  method: 'DELETE',
  path: TASK,
  accepts: (_value): _value is CancelOutcome => false, // 202 and 204 carry no body
  withoutBody: (status) => (status === 204 ? 'already-ended' : 'accepted'),
  toError,
};

/** The JSON of a `PageRequest`; a page or size that is not a count, or a body JSON cannot carry, is the caller's error. */
function pageRequestBody(request: unknown): Uint8Array {
  if (!isRecord(request)) throw new ArgumentProblem('request', 'request must be an object (a PageRequest)');
  for (const field of ['page', 'size'] as const) {
    const value = request[field];
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0))
      throw new ArgumentProblem(`request.${field}`, `request.${field} must be a whole number ≥ 0`);
  }
  if (request['filter'] !== undefined && !(isRecord(request['filter']) && typeof request['filter']['_type'] === 'string'))
    throw new ArgumentProblem('request.filter', 'request.filter must be a filter object with a _type');
  return Buffer.from(JSON.stringify(request));
}

/** The four task operations over one transport, with the client's headers (auth included). */
export function taskOperations(transport: Transport, baseUrl: string, headers: Record<string, string>) {
  const taskUrl = (taskId: unknown): string => `${baseUrl}${TASK.replace('{taskId}', pathSegment(taskId, 'taskId'))}`;
  const jsonHeaders = { ...headers, 'Content-Type': 'application/json' };
  return {
    tasksUrl: `${baseUrl}${TASKS}`,
    listActiveTasks: (call?: CallOptions): Promise<TaskDescriptionPage> =>
      transport.invoke(getActiveTasks, { method: 'GET', url: `${baseUrl}${TASKS}`, headers }, call),
    getTask: (taskId: string, call?: CallOptions): Promise<TaskDescription> =>
      transport.invoke(getTask, () => ({ method: 'GET', url: taskUrl(taskId), headers }), call),
    cancelTask: (taskId: string, call?: CallOptions): Promise<CancelOutcome> =>
      transport.invoke(cancelTask, () => ({ method: 'DELETE', url: taskUrl(taskId), headers }), call),
    listTasks: (request: PageRequest = {}, call?: CallOptions): Promise<TaskDescriptionPage> =>
      transport.invoke(
        listTasks,
        (): PreparedRequest => ({ method: 'POST', url: `${baseUrl}${TASKS}`, headers: jsonHeaders, body: pageRequestBody(request) }),
        call,
      ),
  };
}
