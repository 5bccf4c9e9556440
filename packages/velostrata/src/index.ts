export {
  createVelostrataClient,
  VelostrataError,
  isTerminalState,
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
  type TerminalState,
} from './client.js';
export * from '@vmtasks/core/public';
export type { paths, components, operations } from './generated/openapi.js';
// The spec's enum value lists, as generated.
export { taskStateValues, knownTaskTypeValues } from './generated/openapi.js';
