import type { Dispatcher } from 'undici';
import { AbortError, ApiError, MalformedResponseError, TimeoutError, TransportError, type RequestSummary } from './errors.js';
import { Redactor, safeUrl } from './redact.js';
import { backoffDelay, isIdempotent, parseRetryAfter, resolveRetry, type ResolvedRetry, type RetryOptions } from './retry.js';
import { createTlsFetch, type FetchFunction, type TlsOptions } from './tls.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Transport settings every client accepts. */
export interface TransportOptions {
  /** Time allowed for one attempt, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Retry policy; `false` turns retries off. Default: 2 retries on network errors, timeouts and 429/502/503/504. */
  retry?: RetryOptions | boolean;
  /** A fetch to send requests with (default: the global fetch, or undici's when `tls` is set). */
  fetch?: FetchFunction;
  /** TLS settings for appliances with private or self-signed certificates. */
  tls?: TlsOptions;
}

/** Options every API method takes. */
export interface CallOptions {
  /** Cancels the call, its retries and their waits at once. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** One HTTP request, ready to send (URL built, headers merged). */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Headers | Record<string, string>;
  body?: ArrayBuffer;
}

/** A response whose body has been read in full, inside the attempt that fetched it. */
export interface BufferedResponse {
  status: number;
  statusText: string;
  headers: Headers;
  url: string;
  payload: ArrayBuffer | null;
}

/** How one operation's results and errors are decoded. */
export interface OperationSpec<T, E extends ApiError> {
  operation: string;
  method: string;
  /** True when a decoded 2xx body has the documented shape. */
  accepts(value: unknown): value is T;
  /** Makes the API's own error class; `body` is already redacted. */
  toError(status: number, body: unknown, request: RequestSummary): E;
}

// Statuses whose responses cannot carry a body (the Response constructor refuses one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const utf8 = new TextDecoder();

const wait = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The resilient layer of every client: per-attempt timeouts, retries with backoff and
 * `Retry-After`, cancellation, TLS, and typed, redacted errors. The convenience methods call
 * `invoke` with a URL that openapi-fetch's own serializers built; the `raw` openapi-fetch client
 * sends through `fetchFor()`. Both go through the same `send`.
 */
export class Transport {
  readonly redactor: Redactor;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetry;
  readonly #fetch: FetchFunction | undefined;
  readonly #tls: Promise<{ fetch: FetchFunction; dispatcher?: Dispatcher }> | undefined;
  readonly #random: () => number;

  constructor(options: TransportOptions & { redactor: Redactor; random?: () => number }) {
    this.redactor = options.redactor;
    this.timeoutMs = Transport.checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.retry = resolveRetry(options.retry);
    this.#fetch = options.fetch;
    this.#random = options.random ?? Math.random;
    if (options.tls) {
      const tls = createTlsFetch(options.tls);
      // A user-supplied fetch still gets the TLS dispatcher (it works with undici-based fetches).
      const userFetch = options.fetch;
      this.#tls = userFetch ? tls.then(({ dispatcher }) => ({ fetch: userFetch, dispatcher })) : tls;
      // Surfaced on first use; never an unhandled rejection before that.
      this.#tls.catch(() => undefined);
    }
  }

  private static checkTimeout(ms: number): number {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${ms}`);
    return ms;
  }

  /**
   * A fetch for openapi-fetch (the `raw` client) with this transport's policy. Errors name the
   * call by method and path.
   */
  fetchFor(): (request: Request) => Promise<Response> {
    return async (request) => {
      const prepared: PreparedRequest = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body ? await request.arrayBuffer() : undefined,
      };
      const operation = `${request.method} ${new URL(request.url).pathname}`;
      const buffered = await this.send(prepared, operation, { signal: request.signal });
      const headers = new Headers(buffered.headers);
      // The payload is decoded already; a stale encoding header would mislead a second reader.
      headers.delete('content-encoding');
      const response = new Response(buffered.payload, { status: buffered.status, statusText: buffered.statusText, headers });
      // `url` is read-only on a constructed Response; openapi-fetch users may want the real one.
      Object.defineProperty(response, 'url', { value: buffered.url });
      return response;
    };
  }

  /** Releases the TLS agent's sockets, if there is one. */
  async close(): Promise<void> {
    const tls = await this.#tls?.catch(() => undefined);
    await tls?.dispatcher?.close();
  }

  /** Sends one operation and turns the outcome into the documented result or a typed error. */
  async invoke<T, E extends ApiError>(spec: OperationSpec<T, E>, request: PreparedRequest, options?: CallOptions): Promise<T> {
    const response = await this.send(request, spec.operation, options ?? {});
    const text = response.payload ? utf8.decode(response.payload) : '';
    const summary = (): RequestSummary => ({ operation: spec.operation, method: spec.method, url: safeUrl(response.url) });
    if (response.status < 200 || response.status > 299) {
      let body: unknown = text === '' ? undefined : text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the error keeps the raw text.
      }
      throw spec.toError(response.status, this.redactor.value(body), summary());
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new MalformedResponseError(
        `${spec.operation}: HTTP ${response.status} response is not JSON`,
        { ...summary(), status: response.status, rawBody: this.redactor.text(text) },
        { cause },
      );
    }
    if (!spec.accepts(value)) {
      throw new MalformedResponseError(`${spec.operation}: HTTP ${response.status} response does not have the documented shape`, {
        ...summary(),
        status: response.status,
        rawBody: this.redactor.text(text),
      });
    }
    return value;
  }

  /** The retry loop: attempts, each with its own timeout, until a final answer or error. */
  async send(request: PreparedRequest, operation: string, options: CallOptions): Promise<BufferedResponse> {
    const started = Date.now();
    const timeoutMs = options.timeoutMs === undefined ? this.timeoutMs : Transport.checkTimeout(options.timeoutMs);
    const summary = (): RequestSummary => ({ operation, method: request.method, url: safeUrl(request.url) });
    const caller = options.signal;
    const retryable = isIdempotent(request.method);
    const tls = this.#tls ? await this.#tls : undefined;
    const fetchImpl: FetchFunction = tls?.fetch ?? this.#fetch ?? globalThis.fetch;
    const headers = options.headers ? mergeHeaderInits(request.headers, options.headers) : request.headers;
    const aborted = (): AbortError => new AbortError(`${operation}: aborted by the caller`, summary(), { cause: caller?.reason });

    const mayRetry = (attempt: number, delay: number): boolean =>
      retryable && attempt <= this.retry.retries && Date.now() - started + delay <= this.retry.maxElapsedMs;

    for (let attempt = 1; ; attempt++) {
      if (caller?.aborted) throw aborted();
      const attemptController = new AbortController();
      const onCallerAbort = (): void => attemptController.abort(caller?.reason);
      caller?.addEventListener('abort', onCallerAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attemptController.abort();
      }, timeoutMs);
      try {
        const init: RequestInit = { method: request.method, headers, body: request.body, signal: attemptController.signal };
        if (tls?.dispatcher) Object.assign(init, { dispatcher: tls.dispatcher });
        const response = await fetchImpl(request.url, init);
        // Read the body inside the attempt, so the timeout covers it and a cut-off body is retried.
        const payload = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
        clearTimeout(timer);
        if (this.retry.statuses.includes(response.status)) {
          const asked = parseRetryAfter(response.headers.get('retry-after'));
          const delay = asked ?? backoffDelay(attempt, this.retry, this.#random);
          if (delay <= this.retry.maxDelayMs && mayRetry(attempt, delay)) {
            await this.pause(delay, caller, aborted);
            continue;
          }
        }
        return { status: response.status, statusText: response.statusText, headers: response.headers, url: response.url || request.url, payload };
      } catch (error) {
        clearTimeout(timer);
        if (error instanceof AbortError) throw error;
        if (caller?.aborted) throw aborted();
        const delay = backoffDelay(attempt, this.retry, this.#random);
        if (mayRetry(attempt, delay)) {
          await this.pause(delay, caller, aborted);
          continue;
        }
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        if (timedOut) {
          throw new TimeoutError(`${operation}: no complete response within ${timeoutMs} ms (${tries})`, {
            ...summary(),
            attempts: attempt,
            timeoutMs,
          });
        }
        const where = summary();
        throw new TransportError(
          `${operation}: ${request.method} ${where.url} failed after ${tries}: ${this.redactor.text(describeNetworkError(error))}`,
          { ...where, attempts: attempt },
          { cause: error },
        );
      } finally {
        caller?.removeEventListener('abort', onCallerAbort);
      }
    }
  }

  private async pause(ms: number, caller: AbortSignal | undefined, aborted: () => AbortError): Promise<void> {
    try {
      await wait(ms, caller);
    } catch {
      throw aborted();
    }
  }
}

/** Later headers win, name by name (case-insensitively). */
function mergeHeaderInits(base: Headers | Record<string, string>, extra: Record<string, string>): Headers {
  const merged = new Headers(base);
  for (const [name, value] of Object.entries(extra)) merged.set(name, value);
  return merged;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, certificate …) in `cause`.
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : '';
    return `${code}${cause.message}`;
  }
  return error.message;
}
