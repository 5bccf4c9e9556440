export {
  createVelostrataClient,
  VelostrataError,
  type VelostrataClient,
  type VelostrataClientOptions,
  type TaskDescriptionPage,
  type TaskDescription,
  type TaskState,
  type TaskType,
  type KnownTaskType,
  type EntityId,
  type TaskId,
  type ErrorInfo,
} from './client.js';
export { toSnapshot, type TaskWatching } from './watch.js';
export { isTerminalState, type TerminalState } from './state.js';
export * from '@vmtasks/core/public';
export type { paths, components, operations } from './generated/openapi.js';
// The spec's enum value lists, as generated.
export { taskStateValues, knownTaskTypeValues } from './generated/openapi.js';
