export {
  createSnapserviceClient,
  SnapserviceError,
  type SnapserviceClient,
  type SnapserviceClientOptions,
  type TaskFilter,
  type TaskFilterFields,
  type NonEmptyArray,
  type ListResult,
  type ListItem,
  type TaskInfo,
  type TaskStatus,
  type LocalizableMessage,
  type LocalizationParam,
  type VapiError,
  type TaskError,
  type VapiErrorType,
} from './client.js';
export { toSnapshot, type TaskWatching } from './watch.js';
export { isTerminalStatus, type TerminalStatus } from './state.js';
export * from '@vmtasks/core/public';
export type { paths, components, operations } from './generated/openapi.js';
// The spec's enum value lists and parameter rules, as generated.
export { taskStatusValues, vapiErrorTypeValues, dateTimeFormatValues, parameterRules } from './generated/openapi.js';
