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
  type RequestSummary,
} from './errors.js';
export {
  Transport,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_REDIRECTS,
  type TransportOptions,
  type CallOptions,
  type OperationSpec,
  type PreparedRequest,
  type BufferedResponse,
} from './transport.js';
export { FailureClassifier, type Verdict } from './transport/classify.js';
export type { RequestHooks, HookRequestInfo, HookResponseInfo, HookRetryInfo, HookErrorInfo } from './transport/hooks.js';
export { DEFAULT_RETRY, MAX_TIMER_MS, resolveRetry, parseRetryAfter, backoffDelay, isIdempotent, type RetryOptions } from './retry.js';
export { basicAuthForms, Redactor, REDACTED, MAX_KEPT_BODY_CHARS, safeUrl } from './redact.js';
export { checkedQuery, checkedQuerySerializer, checkRequireAnyOf, ArgumentProblem, type QueryValues } from './query.js';
export { neutralize } from './neutralize.js';
export { pathSegment } from './path.js';
export type { TlsOptions, FetchFunction } from './transport/tls.js';
export {
  formatMessage,
  hasFieldTypes,
  isRecord,
  requireBaseUrl,
  requireCredential,
  requireHeaders,
  requireOneCredential,
  requireOptions,
  type FieldType,
} from './util.js';
// The waiting and watching surface users see (also re-exported by the clients)…
export * from './public.js';
// …and the engine the clients build it on.
export { sameSnapshot, progressFraction } from './watch/snapshot.js';
export type { TaskWaitErrorInit } from './watch/errors.js';
export {
  poll,
  transientFailure,
  backoffInterval,
  DEFAULT_MIN_INTERVAL_MS,
  DEFAULT_MAX_INTERVAL_MS,
  type PollPolicy,
  type PollStep,
  type StallStep,
} from './watch/poller.js';
export { TaskDiffer } from './watch/differ.js';
export { CheckpointTracker, checkpointProblem } from './watch/checkpoint.js';
export { DEFAULT_NOT_FOUND_GRACE_MS, type TaskSource, type WaitSource, type WhenDisappeared } from './watch/watch.js';
// The engine's waits and watches, recorded as spans when a tracer provider is registered.
export { clientWaitSource, waitForTask, watchTasks, type TracedTaskSource, type TracedWaitSource } from './watch/traced.js';
export { SharedWaits, type SharedWaitSource } from './watch/shared-waits.js';
export type { BatchRead } from './watch/shared-poll.js';
