// What an application using a client package needs from the shared runtime: the error classes
// to catch and the option types to pass. Each client re-exports exactly this list.
export {
  VmtasksError,
  ApiError,
  TransportError,
  TimeoutError,
  AbortError,
  MalformedResponseError,
  RedirectError,
  ResponseTooLargeError,
  RetryAfterTooLongError,
  InvalidRequestError,
  ClientClosedError,
  ConfigurationError,
  HookError,
  type HookName,
  type RedirectRefusal,
} from './errors.js';
export type { CallOptions, TransportOptions } from './transport.js';
export type { RequestHooks, HookRequestInfo, HookResponseInfo, HookRetryInfo, HookErrorInfo } from './transport/hooks.js';
export type { RetryOptions } from './retry.js';
export type { TlsOptions, FetchFunction } from './transport/tls.js';
// Waiting for and watching tasks: the common task view, the events, the options and the errors.
export { TASK_STATES, isTerminalTaskState, type TaskState, type TaskSnapshot } from './watch/snapshot.js';
export type { WatchEvent, TaskEvent, TransientFailure, Stalled, Recovered } from './watch/events.js';
export {
  TaskWaitError,
  TaskFailedError,
  TaskCancelledError,
  TaskNotFoundError,
  TaskOutcomeUnknownError,
  WaitTimeoutError,
  type WaitError,
} from './watch/errors.js';
export { realClock, type WatchClock } from './watch/clock.js';
export type { WatchOptions, WaitOptions, WatchTasksOptions, TaskWatch } from './watch/watch.js';
export type { WatchCheckpoint, CheckpointTask } from './watch/checkpoint.js';
