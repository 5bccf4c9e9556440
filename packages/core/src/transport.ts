import type { Dispatcher } from 'undici';
import {
  AbortError,
  type ApiError,
  ClientClosedError,
  ConfigurationError,
  InvalidRequestError,
  MalformedResponseError,
  RedirectError,
  ResponseTooLargeError,
  RetryAfterTooLongError,
  TimeoutError,
  TransportError,
  VmtasksError,
  type RedirectRefusal,
  type RequestSummary,
} from './errors.js';
import { AttemptFailure, dispatchSender, fetchSender, type Received, type ResponseHeaders, type Sender } from './exchange.js';
import { failureCode, isHealable, describeFailure } from './failure.js';
import { keptBody, MAX_KEPT_BODY_CHARS, type Redactor, safeUrl } from './redact.js';
import {
  backoffDelay,
  checkCount,
  checkDelay,
  isIdempotent,
  parseRetryAfter,
  resolveRetry,
  type ResolvedRetry,
  type RetryOptions,
} from './retry.js';
import { ArgumentProblem } from './query.js';
import { sleep } from './signal.js';
import { tlsConnectOptions, type FetchFunction, type TlsOptions } from './tls.js';
import { headerProblem, isRecord } from './util.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Transport settings every client accepts. All are checked when the client is made. */
export interface TransportOptions {
  /** Time allowed for one attempt, headers and body, ms. Default 30 s. */
  timeoutMs?: number;
  /** Retry policy; `false` turns retries off. Default: 2 retries on healable failures and 429/502/503/504. */
  retry?: RetryOptions | boolean;
  /** A fetch to send requests with instead of the built-in undici pool. Called with `redirect: 'manual'`. */
  fetch?: FetchFunction;
  /** TLS settings for appliances with private or self-signed certificates (https `baseUrl` only). */
  tls?: TlsOptions;
  /** Largest response body accepted, counted after decompression, bytes. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Same-origin redirects followed per call (retries included), 0–20. Default 5. Other origins are never followed. */
  maxRedirects?: number;
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
  /** True when a decoded 2xx body has the documented shape. */
  accepts(value: unknown): value is T;
  /** For an operation whose success has no body (202, 204): the result of an empty 2xx, from its status. */
  withoutBody?(status: number): T;
  /** Makes the API's own error class; `body` is already redacted. */
  toError(status: number, body: unknown, request: RequestSummary): E;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * The resilient layer of every client: same-origin redirects, per-attempt and whole-call time
 * limits, retries of what can heal, a response size cap, cancellation, TLS, and typed errors
 * redacted last. The convenience methods call `invoke`; the `raw` openapi-fetch client sends
 * through `fetchFor()`. Both go through the same `#send`, which talks to a keep-alive undici Pool
 * (or the user's `fetch`).
 *
 * undici's interceptors were weighed and not used: `redirect` follows other origins (stripping only
 * Authorization and Cookie, not vmware-api-session-id or user headers) and cannot refuse them;
 * `retry` knows neither a whole-call time bound nor a typed end for an excessive Retry-After, and
 * would not serve a user-supplied fetch; `decompress` is experimental and prints a warning on every
 * user's stderr. The loop below is the one place these rules live, for both senders.
 */
export class Transport {
  readonly redactor: Redactor;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetry;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  /** `scheme://host:port` of `baseUrl`: the only origin anything is ever sent to. */
  readonly origin: string;
  /** Set once undici is loaded (at once for a user fetch that needs no pool). */
  #sender: Sender | undefined;
  #senderLoading: Promise<Sender> | undefined;
  readonly #createSender: () => Promise<Sender>;
  readonly #usesPool: boolean;
  #pool: Dispatcher | undefined;
  readonly #random: () => number;
  // Request header objects, normalised once (lower-case names, Accept-Encoding): the convenience
  // methods send the same object every time.
  readonly #normalised = new WeakMap<object, Record<string, string>>();
  #closing: Promise<void> | undefined;

  constructor(options: TransportOptions & { baseUrl: string; redactor: Redactor; random?: () => number }) {
    this.redactor = options.redactor;
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : checkDelay('timeoutMs', options.timeoutMs);
    this.retry = resolveRetry(options.retry);
    this.maxResponseBytes =
      options.maxResponseBytes === undefined
        ? DEFAULT_MAX_RESPONSE_BYTES
        : checkCount('maxResponseBytes', options.maxResponseBytes, 1, 2 ** 31 - 1);
    this.maxRedirects =
      options.maxRedirects === undefined ? DEFAULT_MAX_REDIRECTS : checkCount('maxRedirects', options.maxRedirects, 0, 20);
    if (options.fetch !== undefined && typeof options.fetch !== 'function')
      throw new ConfigurationError('fetch', 'fetch must be a function');
    const connect = options.tls === undefined ? undefined : tlsConnectOptions(options.tls, base.protocol);
    this.#random = options.random ?? Math.random;
    // One keep-alive pool for the one origin, unless a user fetch without TLS settings needs none.
    const userFetch = options.fetch;
    this.#usesPool = !userFetch || connect !== undefined;
    if (!this.#usesPool && userFetch) this.#sender = fetchSender(userFetch, undefined, this.maxResponseBytes);
    // undici is loaded with the first request, not with this module: it is most of what importing
    // a client costs (~70 of ~120 ms), paid by programs that never send (the CLI's --help).
    this.#createSender = async () => {
      const { Pool } = await import('undici');
      const pool = new Pool(this.origin, connect ? { connect } : {});
      this.#pool = pool;
      return userFetch ? fetchSender(userFetch, pool, this.maxResponseBytes) : dispatchSender(pool, this.maxResponseBytes);
    };
  }

  /** The sender, once undici is loaded; the first caller starts loading it. */
  #senderReady(): Promise<Sender> {
    this.#senderLoading ??= this.#createSender().then((sender) => (this.#sender = sender));
    return this.#senderLoading;
  }

  // openapi-fetch middleware for the `raw` client: refuses a per-call `fetch`, which would send the
  // request, credentials included, around this policy (openapi-fetch follows every redirect, to any origin).
  readonly #rawMiddleware = {
    onRequest: ({ request, options }: { request: Request; options: { fetch?: unknown } }): undefined => {
      if (options.fetch === this.#rawFetch) return undefined;
      const where = { operation: `${request.method} ${new URL(request.url).pathname}`, method: request.method, url: safeUrl(request.url) };
      const why = `${where.operation}: a per-call fetch would bypass the client's redirect and retry policy; pass fetch when creating the client`;
      throw this.#finish(new InvalidRequestError(why, { ...where, parameter: 'fetch' }), where, request.headers);
    },
  };

  /**
   * The `raw` openapi-fetch client (made with `fetch: transport.fetchFor()`), guarded: a per-call
   * `fetch` is refused, and what openapi-fetch throws before a request reaches this transport
   * (undici's `Headers` refusing a header value, quoting it in its message) leaves as a redacted
   * `InvalidRequestError` that quotes nothing, like every other failure.
   */
  guardRaw<C extends { use(...middleware: never[]): void }>(client: C): C {
    (client.use as (middleware: unknown) => void).call(client, this.#rawMiddleware);
    return new Proxy(client, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function' || typeof key !== 'string' || !/^([A-Z]+|request)$/.test(key)) return value;
        return async (...args: unknown[]): Promise<unknown> => {
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (error) {
            if (error instanceof VmtasksError) throw error;
            const [method, path, init] = key === 'request' ? args : [key, ...args];
            const where = { operation: `${String(method)} ${String(path)}`, method: String(method), url: this.origin };
            // The foreign message may quote a header value: only its kind is kept.
            const why = `${where.operation}: the request cannot be built (${error instanceof Error ? error.name : typeof error}: openapi-fetch or fetch refused an argument, e.g. a header value with CR, LF, NUL or characters beyond Latin-1)`;
            const headers = isRecord(init) ? (init['headers'] as PreparedRequest['headers'] | undefined) : undefined;
            throw this.#finish(new InvalidRequestError(why, { ...where, parameter: 'request' }), where, headers);
          }
        };
      },
    });
  }

  /** A fetch for openapi-fetch (the `raw` client) with this transport's policy. Errors name the call by method and path. */
  fetchFor(): (request: Request) => Promise<Response> {
    return this.#rawFetch;
  }

  readonly #rawFetch = async (request: Request): Promise<Response> => {
    const operation = `${request.method} ${new URL(request.url).pathname}`;
    try {
      const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
      const prepared: PreparedRequest = { method: request.method, url: request.url, headers: request.headers, body };
      const received = await this.#send(prepared, operation, { signal: request.signal });
      const headers = new Headers();
      for (const [name, value] of Object.entries(received.headers)) {
        // The payload is whole and decoded: its length and encoding headers would mislead a second reader.
        if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
        for (const each of Array.isArray(value) ? value : [value]) headers.append(name, each);
      }
      const response = new Response(received.payload, { status: received.status, statusText: received.statusText, headers });
      // `url` is read-only on a constructed Response; openapi-fetch users may want the real one.
      Object.defineProperty(response, 'url', { value: received.url });
      return response;
    } catch (error) {
      throw this.#finish(error, { operation, method: request.method, url: request.url }, request.headers);
    }
  };

  /** Releases the pool's sockets once in-flight calls end. Idempotent; later calls reject with `ClientClosedError`. */
  close(): Promise<void> {
    // A pool still being created is closed once it exists.
    this.#closing ??= (this.#senderLoading ?? Promise.resolve())
      .then(() => this.#pool?.close())
      .then(
        () => undefined,
        () => undefined,
      );
    return this.#closing;
  }

  /**
   * Sends one operation and turns the outcome into the documented result or a typed error.
   * `request` may be a function, so that building it (serializing a filter) fails as a typed
   * rejection too. Never throws synchronously.
   */
  async invoke<T, E extends ApiError>(
    spec: OperationSpec<T, E>,
    request: PreparedRequest | (() => PreparedRequest),
    options?: CallOptions,
  ): Promise<T> {
    let where: RequestSummary = { operation: spec.operation, method: spec.method, url: this.origin };
    let headers: PreparedRequest['headers'] | undefined;
    try {
      const prepared = typeof request === 'function' ? build(request, where) : request;
      where = { ...where, url: prepared.url };
      headers = prepared.headers;
      const response = await this.#send(prepared, spec.operation, options ?? {});
      const sent = headers;
      return decodeResult(spec, response, () => this.redactor.withHeaders(entries(sent, options?.headers)));
    } catch (error) {
      throw this.#finish(error, where, headers, options?.headers);
    }
  }

  /** The retry and redirect loop, bounded by `retry.maxElapsedMs`. Errors are typed but not yet redacted. */
  async #send(request: PreparedRequest, operation: string, options: CallOptions): Promise<BufferedResponse> {
    const started = Date.now();
    const callSummary = { operation, method: request.method };
    if (this.#closing) throw new ClientClosedError(`${operation}: the client is closed`, { ...callSummary, url: safeUrl(request.url) });
    if (typeof options !== 'object' || options === null)
      throw new InvalidRequestError(`${operation}: options must be an object`, {
        ...callSummary,
        url: safeUrl(request.url),
        parameter: 'options',
      });
    if (options.signal !== undefined && !isAbortSignal(options.signal)) {
      throw new InvalidRequestError(`${operation}: signal must be an AbortSignal`, {
        ...callSummary,
        url: safeUrl(request.url),
        parameter: 'signal',
      });
    }
    let url = this.#sameOrigin(request.url, operation, request.method);
    const timeoutMs = this.#callTimeout(options.timeoutMs, operation, request);
    const headers = this.#headers(request.headers, options.headers, operation, request);
    const send = this.#sender ?? (await this.#senderReady());
    const caller = options.signal;
    const deadline = started + this.retry.maxElapsedMs;
    const idempotent = isIdempotent(request.method);
    let method = request.method;
    let body = request.body;
    let redirects = 0;
    const summary = (): RequestSummary => ({ ...callSummary, url: safeUrl(url.href) });
    const aborted = (): AbortError => new AbortError(`${operation}: aborted by the caller`, summary(), { cause: caller?.reason });
    const pause = async (ms: number): Promise<void> => {
      try {
        await sleep(ms, caller);
      } catch {
        throw aborted();
      }
    };

    for (let attempt = 1; ; attempt++) {
      if (caller?.aborted) throw aborted();
      const remaining = deadline - Date.now();
      const cut = remaining < timeoutMs;
      const limit = cut ? 'maxElapsedMs' : 'timeoutMs';
      const timedOut = (): TimeoutError =>
        new TimeoutError(
          `${operation}: no complete response within ${cut ? `retry.maxElapsedMs (${this.retry.maxElapsedMs} ms) for the whole call` : `${timeoutMs} ms`} (${tries(attempt)})`,
          { ...summary(), attempts: attempt, timeoutMs: cut ? this.retry.maxElapsedMs : timeoutMs, limit },
        );
      if (remaining <= 0) throw timedOut();
      let received: Received;
      try {
        received = await send({ method, url, headers, body, limitMs: Math.min(timeoutMs, remaining), signal: caller });
      } catch (failure) {
        if (!(failure instanceof AttemptFailure)) throw failure;
        if (failure.kind === 'aborted') throw aborted();
        if (this.#closing && failure.kind === 'network')
          throw new ClientClosedError(`${operation}: the client was closed during the call`, summary());
        if (failure.kind === 'too-large') {
          throw new ResponseTooLargeError(
            `${operation}: HTTP ${failure.status} response body is larger than maxResponseBytes (${this.maxResponseBytes} bytes, decoded); reading stopped there`,
            { ...summary(), status: failure.status, limitBytes: this.maxResponseBytes },
          );
        }
        const healable = failure.kind === 'timeout' ? !cut : isHealable(failure.cause);
        const delay = backoffDelay(attempt, this.retry, this.#random);
        if (healable && idempotent && attempt <= this.retry.retries && Date.now() + delay < deadline) {
          await pause(delay);
          continue;
        }
        if (failure.kind === 'timeout') throw timedOut();
        const code = failureCode(failure.cause);
        throw new TransportError(
          `${operation}: ${method} ${summary().url} failed after ${tries(attempt)}: ${describeFailure(failure.cause)}`,
          { ...summary(), attempts: attempt, code },
          { cause: failure.cause },
        );
      }
      const { status } = received;

      if (REDIRECTS.has(status) && received.headers['location'] !== undefined) {
        const target = this.#redirectTarget(received.headers['location'], url, status, ++redirects, summary);
        // 303, and 301/302 after a POST, turn into a GET without a body, as browsers and fetch do.
        if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          for (const name of Object.keys(headers)) if (name.startsWith('content-')) delete headers[name];
        }
        url = target;
        attempt--;
        continue;
      }

      if (idempotent && attempt <= this.retry.retries && this.retry.statuses.includes(status)) {
        const asked = parseRetryAfter(header(received.headers, 'retry-after'));
        const left = deadline - Date.now();
        if (asked !== undefined && (asked > this.retry.maxDelayMs || asked >= left)) {
          const limitMs = Math.max(0, Math.min(this.retry.maxDelayMs, left));
          throw new RetryAfterTooLongError(
            `${operation}: HTTP ${status} asks to retry after ${seconds(asked)}; the retry policy allows ${seconds(limitMs)} ` +
              `(${asked > this.retry.maxDelayMs ? `retry.maxDelayMs` : `what is left of retry.maxElapsedMs`})`,
            { ...summary(), status, retryAfterMs: asked, limitMs, attempts: attempt },
          );
        }
        // Never sooner than the backoff: `Retry-After: 0` must not become a busy loop.
        const delay = Math.max(asked ?? 0, backoffDelay(attempt, this.retry, this.#random));
        if (Date.now() + delay < deadline) {
          await pause(delay);
          continue;
        }
      }
      return { ...received, url: url.href };
    }
  }

  /** The next URL of a redirect, when it may be followed; a `RedirectError` saying why when not. */
  #redirectTarget(location: string | string[], from: URL, status: number, count: number, summary: () => RequestSummary): URL {
    let target: URL | undefined;
    try {
      target = typeof location === 'string' ? new URL(location, from) : undefined;
    } catch {
      target = undefined;
    }
    const refuse = (reason: RedirectRefusal, why: string): never => {
      throw new RedirectError(`${summary().operation}: HTTP ${status} redirect not followed: ${why}`, {
        ...summary(),
        status,
        targetOrigin: target && /^https?:$/.test(target.protocol) ? target.origin : undefined,
        reason,
      });
    };
    if (!target) return refuse('bad-location', 'its Location is not a URL');
    if (from.protocol === 'https:' && target.protocol !== 'https:') {
      return refuse(
        'downgrade',
        `it leads from https to ${target.protocol.replace(':', '')} (${target.protocol === 'http:' ? target.origin : 'another scheme'}); credentials are never sent in clear text`,
      );
    }
    if (target.origin !== this.origin) {
      return refuse(
        'cross-origin',
        `it leads to another origin (${/^https?:$/.test(target.protocol) ? target.origin : target.protocol}); credentials are only sent to ${this.origin}`,
      );
    }
    if (count > this.maxRedirects) return refuse('too-many', `more than maxRedirects (${this.maxRedirects}) redirects`);
    // User info in a Location is the server's, never sent: fetch would refuse the URL, the pool ignores it.
    target.username = '';
    target.password = '';
    return target;
  }

  #sameOrigin(url: string, operation: string, method: string): URL {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (parsed?.origin !== this.origin) {
      throw new InvalidRequestError(
        `${operation}: requests go to ${this.origin} only, the origin of baseUrl; credentials are never sent elsewhere`,
        {
          operation,
          method,
          url: parsed ? parsed.origin : '(invalid URL)',
          parameter: 'baseUrl',
        },
      );
    }
    return parsed;
  }

  #callTimeout(value: unknown, operation: string, request: PreparedRequest): number {
    if (value === undefined) return this.timeoutMs;
    try {
      return checkDelay('timeoutMs', value);
    } catch (error) {
      throw new InvalidRequestError(`${operation}: ${(error as Error).message}`, {
        operation,
        method: request.method,
        url: safeUrl(request.url),
        parameter: 'timeoutMs',
      });
    }
  }

  /** The headers to send: the request's, normalised once, then this call's, each checked. */
  #headers(base: PreparedRequest['headers'], extra: unknown, operation: string, request: PreparedRequest): Record<string, string> {
    let normalised = this.#normalised.get(base);
    if (!normalised) {
      normalised = {};
      for (const [name, value] of entries(base)) normalised[name.toLowerCase()] = value;
      if (this.#usesPool && !('accept-encoding' in normalised)) normalised['accept-encoding'] = ACCEPT_ENCODING;
      if (!(base instanceof Headers)) this.#normalised.set(base, normalised);
    }
    if (extra === undefined) return { ...normalised };
    const refuse = (parameter: string, why: string): never => {
      throw new InvalidRequestError(`${operation}: ${why}`, { operation, method: request.method, url: safeUrl(request.url), parameter });
    };
    if (!isRecord(extra)) return refuse('headers', 'headers must be an object of header names to strings');
    const merged = { ...normalised };
    for (const [name, value] of Object.entries(extra)) {
      const problem = headerProblem(name, value);
      if (problem) refuse(`headers.${name}`, `header ${headerProblem(name, '') ? '(name)' : name} ${problem}`);
      merged[name.toLowerCase()] = value as string;
    }
    return merged;
  }

  /** Every error leaves as one typed error, redacted last with every secret this call knew. */
  #finish(error: unknown, where: RequestSummary, ...headers: (PreparedRequest['headers'] | undefined)[]): VmtasksError {
    const typed =
      error instanceof VmtasksError
        ? error
        : new TransportError(
            `${where.operation}: unexpected failure: ${describeFailure(error)}`,
            { ...where, url: safeUrl(where.url), attempts: 0 },
            { cause: error },
          );
    let redactor = this.redactor;
    for (const each of headers) if (each) redactor = redactor.withHeaders(entries(each));
    return redactor.error(typed);
  }
}

/** An AbortSignal, or one from another realm or a polyfill that behaves as one. */
function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    value instanceof AbortSignal ||
    (isRecord(value) && typeof value['aborted'] === 'boolean' && typeof value['addEventListener'] === 'function')
  );
}

function build(request: () => PreparedRequest, where: RequestSummary): PreparedRequest {
  try {
    return request();
  } catch (error) {
    const parameter = error instanceof ArgumentProblem ? error.parameter : 'request';
    const why = error instanceof ArgumentProblem ? error.message : `the request cannot be built (${describeFailure(error)})`;
    throw new InvalidRequestError(`${where.operation}: ${why}`, { ...where, parameter });
  }
}

/** Decodes a final response: the documented JSON, the API's error, or `MalformedResponseError`. */
function decodeResult<T, E extends ApiError>(spec: OperationSpec<T, E>, response: BufferedResponse, redactorFor: () => Redactor): T {
  const text = response.payload ? response.payload.toString('utf8') : '';
  if (response.status >= 200 && response.status <= 299) {
    if (text === '' && spec.withoutBody) return spec.withoutBody(response.status);
    try {
      const value: unknown = JSON.parse(text);
      if (spec.accepts(value)) return value;
    } catch {
      // Reported below, off the fast path.
    }
  }
  return failedResult(spec, response, text, redactorFor());
}

function failedResult<T, E extends ApiError>(
  spec: OperationSpec<T, E>,
  response: BufferedResponse,
  text: string,
  redactor: Redactor,
): never {
  const summary: RequestSummary = { operation: spec.operation, method: spec.method, url: safeUrl(response.url) };
  if (response.status < 200 || response.status > 299) {
    let body: unknown = text === '' ? undefined : keptBody(text, redactor);
    // A body too long to keep whole is kept as cut text; one that fits is decoded when it can be.
    if (text !== '' && text.length <= MAX_KEPT_BODY_CHARS) {
      try {
        body = redactor.value(JSON.parse(text));
      } catch {
        // Not JSON: the error keeps the (redacted) text.
      }
    }
    throw spec.toError(response.status, body, summary);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the body; the cause keeps only where it failed.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new MalformedResponseError(
      `${spec.operation}: HTTP ${response.status} response is not JSON`,
      { ...summary, status: response.status, rawBody: keptBody(text, redactor) },
      { cause: new SyntaxError(`invalid JSON${at ? ` at position ${at}` : ''} in a ${text.length}-character body`) },
    );
  }
  throw new MalformedResponseError(`${spec.operation}: HTTP ${response.status} response does not have the documented shape`, {
    ...summary,
    status: response.status,
    rawBody: keptBody(text, redactor),
  });
}

function entries(...sources: (PreparedRequest['headers'] | undefined)[]): [string, string][] {
  const all: [string, string][] = [];
  for (const source of sources) {
    if (source instanceof Headers) source.forEach((value, name) => all.push([name, value]));
    else if (isRecord(source)) for (const [name, value] of Object.entries(source)) if (typeof value === 'string') all.push([name, value]);
  }
  return all;
}

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const tries = (attempts: number): string => (attempts === 1 ? '1 attempt' : `${attempts} attempts`);
const seconds = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`);
