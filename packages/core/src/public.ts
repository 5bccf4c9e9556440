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
  type RedirectRefusal,
} from './errors.js';
export type { CallOptions, TransportOptions } from './transport.js';
export type { RetryOptions } from './retry.js';
export type { TlsOptions, FetchFunction } from './tls.js';
