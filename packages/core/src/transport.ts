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

/** What openapi-fetch resolves to, in the shape the transport needs. */
export interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
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
 * The resilient layer under openapi-fetch: per-attempt timeouts, retries with backoff and
 * `Retry-After`, cancellation, TLS, and typed, redacted errors. Shared by every client.
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
      this.#tls = options.fetch ? tls.then(({ dispatcher }) => ({ fetch: options.fetch!, dispatcher })) : tls;
      // Surfaced on first use; never an unhandled rejection before that.
      this.#tls.catch(() => undefined);
    }
  }

  private static checkTimeout(ms: number): number {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`timeoutMs must be a positive number, got ${ms}`);
    return ms;
  }

  /**
   * A fetch for openapi-fetch that sends one call with this transport's policy. Without an
   * operation name (the `raw` client), errors name the call by method and path.
   */
  fetchFor(operation?: string, timeoutMs?: number): (request: Request) => Promise<Response> {
    const perAttempt = timeoutMs === undefined ? this.timeoutMs : Transport.checkTimeout(timeoutMs);
    return (request) => this.send(request, operation ?? `${request.method} ${new URL(request.url).pathname}`, perAttempt);
  }

  /** Releases the TLS agent's sockets, if there is one. */
  async close(): Promise<void> {
    const tls = await this.#tls?.catch(() => undefined);
    await tls?.dispatcher?.close();
  }

  /**
   * Runs one operation through openapi-fetch (`send` gets the fetch to use) and turns the outcome
   * into the documented result or a typed error.
   */
  async invoke<T, E extends ApiError>(
    spec: OperationSpec<T, E>,
    options: CallOptions | undefined,
    send: (fetch: (request: Request) => Promise<Response>) => Promise<RawResult>,
  ): Promise<T> {
    const { response, data, error } = await send(this.fetchFor(spec.operation, options?.timeoutMs));
    const request: RequestSummary = { operation: spec.operation, method: spec.method, url: safeUrl(response.url) };
    if (!response.ok) {
      const body = error === '' ? undefined : this.redactor.value(error);
      throw spec.toError(response.status, body, request);
    }
    const text = typeof data === 'string' ? data : '';
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new MalformedResponseError(
        `${spec.operation}: HTTP ${response.status} response is not JSON`,
        { ...request, status: response.status, rawBody: this.redactor.text(text) },
        { cause },
      );
    }
    if (!spec.accepts(value)) {
      throw new MalformedResponseError(`${spec.operation}: HTTP ${response.status} response does not have the documented shape`, {
        ...request,
        status: response.status,
        rawBody: this.redactor.text(text),
      });
    }
    return value;
  }

  private async send(request: Request, operation: string, timeoutMs: number): Promise<Response> {
    const started = Date.now();
    const summary: RequestSummary = { operation, method: request.method, url: safeUrl(request.url) };
    const caller = request.signal;
    const retryable = isIdempotent(request.method);
    const body = request.body ? await request.arrayBuffer() : undefined;
    const tls = this.#tls ? await this.#tls : undefined;
    const fetchImpl: FetchFunction = tls?.fetch ?? this.#fetch ?? globalThis.fetch;

    const mayRetry = (attempt: number, delay: number): boolean =>
      retryable && attempt <= this.retry.retries && Date.now() - started + delay <= this.retry.maxElapsedMs;

    for (let attempt = 1; ; attempt++) {
      if (caller.aborted) throw new AbortError(`${operation}: aborted by the caller`, summary, { cause: caller.reason });
      const attemptController = new AbortController();
      const onCallerAbort = (): void => attemptController.abort(caller.reason);
      caller.addEventListener('abort', onCallerAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attemptController.abort();
      }, timeoutMs);
      try {
        const init: RequestInit = {
          method: request.method,
          headers: request.headers,
          body,
          redirect: request.redirect,
          signal: attemptController.signal,
        };
        if (tls?.dispatcher) Object.assign(init, { dispatcher: tls.dispatcher });
        const response = await fetchImpl(request.url, init);
        // Read the body inside the attempt, so the timeout covers it and a cut-off body is retried.
        const payload = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
        clearTimeout(timer);
        if (this.retry.statuses.includes(response.status)) {
          const asked = parseRetryAfter(response.headers.get('retry-after'));
          const delay = asked ?? backoffDelay(attempt, this.retry, this.#random);
          if (delay <= this.retry.maxDelayMs && mayRetry(attempt, delay)) {
            await this.pause(delay, caller, summary);
            continue;
          }
        }
        return rebuild(response, payload, request.url);
      } catch (error) {
        clearTimeout(timer);
        if (error instanceof AbortError) throw error;
        if (caller.aborted) throw new AbortError(`${operation}: aborted by the caller`, summary, { cause: caller.reason });
        const delay = backoffDelay(attempt, this.retry, this.#random);
        if (mayRetry(attempt, delay)) {
          await this.pause(delay, caller, summary);
          continue;
        }
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        if (timedOut) {
          throw new TimeoutError(`${operation}: no complete response within ${timeoutMs} ms (${tries})`, {
            ...summary,
            attempts: attempt,
            timeoutMs,
          });
        }
        throw new TransportError(
          `${operation}: ${request.method} ${summary.url} failed after ${tries}: ${this.redactor.text(describeNetworkError(error))}`,
          { ...summary, attempts: attempt },
          { cause: error },
        );
      } finally {
        caller.removeEventListener('abort', onCallerAbort);
      }
    }
  }

  private async pause(ms: number, caller: AbortSignal, summary: RequestSummary): Promise<void> {
    try {
      await wait(ms, caller);
    } catch (reason) {
      throw new AbortError(`${summary.operation}: aborted by the caller`, summary, { cause: reason });
    }
  }
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

/** A Response whose body is already in memory (the original's stream has been read). */
function rebuild(response: Response, payload: ArrayBuffer | null, requestUrl: string): Response {
  const headers = new Headers(response.headers);
  // The payload is decoded already; a stale encoding header would mislead a second reader.
  headers.delete('content-encoding');
  const copy = new Response(payload, { status: response.status, statusText: response.statusText, headers });
  // `url` is read-only on a constructed Response; errors and openapi-fetch both want the real one.
  Object.defineProperty(copy, 'url', { value: response.url || requestUrl });
  return copy;
}
