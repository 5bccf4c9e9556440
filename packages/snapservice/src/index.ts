export { createSnapserviceClient, LOGOUT_TIMEOUT_MS, type SnapserviceClient, type SnapserviceClientOptions } from './client.js';
export { SnapserviceError } from './error.js';
export type {
  TaskFilter,
  TaskFilterFields,
  NonEmptyArray,
  ListResult,
  ListItem,
  TaskInfo,
  TaskStatus,
  LocalizableMessage,
  LocalizationParam,
  VapiError,
  TaskError,
  VapiErrorType,
  SessionInfo,
} from './model.js';
export { toSnapshot, type TaskWatching } from './watch.js';
export { isTerminalStatus, type TerminalStatus } from './state.js';
export * from '@vmtasks/core/public';
export type { paths, components, operations } from './generated/openapi.js';
// The spec's enum value lists and parameter rules, as generated.
export { taskStatusValues, vapiErrorTypeValues, dateTimeFormatValues, parameterRules } from './generated/openapi.js';
