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
export * from '@vmtasks/core/public';
export type { paths, components, operations } from './generated/openapi.js';
export { taskStatusValues } from './generated/openapi.js';
