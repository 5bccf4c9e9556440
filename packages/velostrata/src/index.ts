export { createVelostrataClient, type VelostrataClient, type VelostrataClientOptions } from './client.js';
export { VelostrataError } from './error.js';
export type { CancelOutcome } from './operations.js';
export { DEFAULT_MAX_PAGES, type IterateOptions } from './pages.js';
export type {
  TaskDescriptionPage,
  TaskDescription,
  TaskState,
  TaskType,
  KnownTaskType,
  EntityId,
  TaskId,
  ErrorInfo,
  PageRequest,
  TaskFilter,
  IdFilter,
  TaskEntityIdFilter,
  TaskStateFilter,
} from './model.js';
export { toSnapshot, type TaskWatching } from './watch.js';
export { isTerminalState, type TerminalState } from './state.js';
export * from '@vmtasks/core/public';
export type { paths, components, operations } from './generated/openapi.js';
// The spec's enum value lists, as generated.
export { taskStateValues, knownTaskTypeValues } from './generated/openapi.js';
