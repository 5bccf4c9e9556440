export {
  createVelostrataClient,
  VelostrataError,
  type VelostrataClient,
  type VelostrataClientOptions,
} from './client.js';
export type {
  TaskDescriptionPage,
  TaskDescription,
  TaskState,
  TaskType,
  KnownTaskType,
  EntityId,
  TaskId,
  ErrorInfo,
} from './model.js';
export { toSnapshot, type TaskWatching } from './watch.js';
export { isTerminalState, type TerminalState } from './state.js';
export * from '@vmtasks/core/public';
export type { paths, components, operations } from './generated/openapi.js';
// The spec's enum value lists, as generated.
export { taskStateValues, knownTaskTypeValues } from './generated/openapi.js';
