export {
  createSnapserviceClient,
  SnapserviceError,
  type SnapserviceClient,
  type SnapserviceClientOptions,
  type TaskFilter,
  type ListResult,
  type ListItem,
  type TaskInfo,
  type TaskStatus,
  type LocalizableMessage,
  type LocalizationParam,
  type VapiError,
  type VapiErrorType,
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
