// The spec's shapes under the names the client uses, and how their messages read: the leaf every
// other module of the client imports.
import { formatMessage, hasFieldTypes, isRecord } from '@vmtasks/core';
import type { components, operations, parameterRules } from './generated/openapi.js';

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

/** A task's info whose fields the client reads have the spec's types; anything else is a malformed answer. */
export function isTaskInfo(value: unknown): value is TaskInfo {
  if (!hasFieldTypes(value, INFO_FIELDS)) return false;
  const { target, progress, description } = value;
  return (
    hasFieldTypes(target ?? {}, { id: 'string' }) &&
    hasFieldTypes(progress ?? {}, PROGRESS_FIELDS) &&
    isReadableMessage(isRecord(progress) ? progress['message'] : undefined) &&
    isReadableMessage(description)
  );
}

/** A listed task: its id and an info `isTaskInfo` accepts. */
export function isListItem(value: unknown): value is ListItem {
  return isRecord(value) && typeof value['task'] === 'string' && isTaskInfo(value['info']);
}

/** The session service's account of a session (`Snapservice.Sessions.Info`). */
export type SessionInfo = components['schemas']['SessionInfo'];
