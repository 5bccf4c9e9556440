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
export {
  VmtasksError,
  ApiError,
  TransportError,
  TimeoutError,
  AbortError,
  MalformedResponseError,
  type CallOptions,
  type RetryOptions,
  type TlsOptions,
} from '@vmtasks/core';
export type { paths, components, operations } from './generated/openapi.js';
