import type { ApiError, RequestSummary } from '../errors.js';
import type { Received } from './attempt.js';
import type { RetryOptions } from '../retry.js';
import type { RequestHooks } from './hooks.js';
import type { FetchFunction, TlsOptions } from './tls.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Transport settings every client accepts. All are checked when the client is made. */
export interface TransportOptions {
  /** Time allowed for one attempt, headers and body, ms. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retry policy; `false` turns retries off. Default: 2 retries on healable failures and 429/502/503/504. */
  retry?: RetryOptions | boolean | undefined;
  /** A fetch to send requests with instead of the built-in undici pool. Called with `redirect: 'manual'`. */
  fetch?: FetchFunction | undefined;
  /** TLS settings for appliances with private or self-signed certificates (https `baseUrl` only). */
  tls?: TlsOptions | undefined;
  /** Largest response body accepted, counted after decompression, bytes. Default 32 MiB. */
  maxResponseBytes?: number | undefined;
  /** Same-origin redirects followed per call (retries included), 0–20. Default 5. Other origins are never followed. */
  maxRedirects?: number | undefined;
  /** Functions told of each request, response, retry and failure (see `RequestHooks`); never given a credential. */
  hooks?: RequestHooks | undefined;
  /**
   * `false` turns OpenTelemetry off for this client. Otherwise, when `@opentelemetry/api` is
   * installed and a tracer or meter provider is registered, each call is a span and a duration.
   */
  telemetry?: boolean | undefined;
}

/** Options every API method takes. */
export interface CallOptions {
  /** Cancels the call, its retries and their waits at once. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

/** One HTTP request, ready to send (URL built, headers merged). */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Headers | Record<string, string>;
  body?: Uint8Array;
}

/** A response read in full inside the attempt that fetched it, after any same-origin redirects. */
export interface BufferedResponse extends Received {
  /** The URL that answered. */
  url: string;
}

/** How one operation's results and errors are decoded. */
export interface OperationSpec<T, E extends ApiError> {
  operation: string;
  method: string;
  /** The spec's path template, e.g. `/tasks/{taskId}`: with the base URL's path, the call's `url.template`. */
  path?: string | undefined;
  /** True when a decoded 2xx body has the documented shape. */
  accepts(value: unknown): value is T;
  /** For an operation whose success has no body (202, 204): the result of an empty 2xx, from its status. */
  withoutBody?(status: number): T;
  /** Makes the API's own error class; `body` is already redacted. */
  toError(status: number, body: unknown, request: RequestSummary): E;
}
