export {
  VmtasksError,
  ApiError,
  TransportError,
  TimeoutError,
  AbortError,
  MalformedResponseError,
  type RequestSummary,
} from './errors.js';
export {
  Transport,
  DEFAULT_TIMEOUT_MS,
  type TransportOptions,
  type CallOptions,
  type OperationSpec,
  type PreparedRequest,
  type BufferedResponse,
} from './transport.js';
export { DEFAULT_RETRY, resolveRetry, parseRetryAfter, backoffDelay, isIdempotent, type RetryOptions } from './retry.js';
export { Redactor, REDACTED, safeUrl } from './redact.js';
export { createTlsFetch, type TlsOptions, type FetchFunction } from './tls.js';
export { formatMessage, isRecord, requireBaseUrl } from './util.js';
