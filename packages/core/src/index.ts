export {
  VmtasksError,
  ApiError,
  TransportError,
  TimeoutError,
  AbortError,
  MalformedResponseError,
  type RequestSummary,
} from './errors.js';
export { Transport, DEFAULT_TIMEOUT_MS, type TransportOptions, type CallOptions, type OperationSpec, type PreparedRequest, type BufferedResponse } from './transport.js';
export { DEFAULT_RETRY, resolveRetry, parseRetryAfter, backoffDelay, isIdempotent, type RetryOptions } from './retry.js';
export { Redactor, REDACTED, safeUrl } from './redact.js';
export { createTlsFetch, type TlsOptions, type FetchFunction } from './tls.js';
export { formatMessage, isRecord, requireBaseUrl } from './util.js';
export {
  TASK_STATES,
  isTerminalTaskState,
  sameSnapshot,
  progressFraction,
  type TaskState,
  type TaskSnapshot,
} from './watch/snapshot.js';
export type { WatchEvent, TaskEvent, TransientFailure } from './watch/events.js';
export {
  TaskWaitError,
  TaskFailedError,
  TaskCancelledError,
  TaskNotFoundError,
  TaskOutcomeUnknownError,
  WaitTimeoutError,
  type WaitError,
  type TaskWaitErrorInit,
} from './watch/errors.js';
export { realClock, type WatchClock } from './watch/clock.js';
export { poll, transientFailure, backoffInterval, DEFAULT_MIN_INTERVAL_MS, DEFAULT_MAX_INTERVAL_MS, type PollPolicy, type PollStep } from './watch/poller.js';
export { TaskDiffer } from './watch/differ.js';
export { waitForTask, watchTasks, type TaskSource, type WatchOptions, type WaitOptions, type WhenDisappeared } from './watch/watch.js';
