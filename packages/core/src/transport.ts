import { type ApiError, ClientClosedError, ConfigurationError, type RequestSummary, type VmtasksError } from './errors.js';
import { InFlight } from './transport/in-flight.js';
import type { Redactor } from './redact.js';
import { safeUrl } from './redact.js';
import { checkCount, checkDelay, isIdempotent, resolveRetry, type ResolvedRetry } from './retry.js';
import { tlsConnectOptions } from './transport/tls.js';
import { type Call, type Next, type Observed, pipeline, type Policy, type RetryNotice } from './transport/call.js';
import { buildRequest, CallOptionsChecker, headerEntries } from './transport/call-options.js';
import { FailureClassifier } from './transport/classify.js';
import { deadlinePolicy } from './transport/deadline.js';
import { decodeResult } from './transport/decode.js';
import { RawGuard } from './transport/raw-guard.js';
import { finishError } from './transport/redaction.js';
import { checkHooks, Hooks } from './transport/hooks.js';
import { type OtelLoader, Telemetry } from './transport/telemetry.js';
import { redirectPolicy } from './transport/redirect.js';
import { retryPolicy } from './transport/retry.js';
import { Senders } from './transport/senders.js';
import { staleResendPolicy } from './transport/stale-resend.js';
import {
  type BufferedResponse,
  type CallOptions,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type OperationSpec,
  type PreparedRequest,
  type TransportOptions,
} from './transport/types.js';

export {
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_REDIRECTS,
  type TransportOptions,
  type CallOptions,
  type PreparedRequest,
  type BufferedResponse,
  type OperationSpec,
} from './transport/types.js';

/**
 * The resilient layer of every client: a short pipeline of policies (`transport/`), each one
 * rule, outermost first —
 *
 *   retry → redirect → stale-connection resend → deadline → send (undici pool or the user's fetch)
 *
 * — between the per-call checks (`call-options`) and the decoding of the result (`decode`), with
 * every error typed and redacted last (`redaction`). The convenience methods call `invoke`; the
 * `raw` openapi-fetch client sends through `fetchFor()` (`raw-guard`). Both go through `#send`.
 *
 * undici's interceptors were weighed and not used: `redirect` follows other origins (stripping only
 * Authorization and Cookie, not vmware-api-session-id or user headers) and cannot refuse them;
 * `retry` knows neither a whole-call time bound nor a typed end for an excessive Retry-After, and
 * would not serve a user-supplied fetch; `decompress` is experimental and prints a warning on every
 * user's stderr. The policies here are the one place these rules live, for both senders.
 */
export class Transport {
  readonly redactor: Redactor;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetry;
  /** What is retried and when, for this transport and for the polls of `waitForTask`/`watchTasks` alike. */
  readonly classifier: FailureClassifier;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  /** `scheme://host:port` of `baseUrl`: the only origin anything is ever sent to. */
  readonly origin: string;
  readonly #senders: Senders;
  readonly #inFlight = new InFlight();
  readonly #checker: CallOptionsChecker;
  readonly #pipeline: Next;
  readonly #raw: RawGuard;
  readonly #hooks: Hooks | undefined;
  /** OpenTelemetry for this client's calls, waits and watches; undefined with `telemetry: false`. */
  readonly telemetry: Telemetry | undefined;
  /** The base URL's path, before each operation's path template. */
  readonly #basePath: string;
  #closing: Promise<void> | undefined;

  constructor(options: TransportOptions & { baseUrl: string; redactor: Redactor; random?: () => number; loadTelemetry?: OtelLoader }) {
    this.redactor = options.redactor;
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    const hooks = checkHooks(options.hooks);
    this.#hooks = hooks && new Hooks(hooks, this.redactor);
    if (options.telemetry !== undefined && typeof options.telemetry !== 'boolean')
      throw new ConfigurationError('telemetry', 'telemetry must be true or false');
    this.telemetry = options.telemetry === false ? undefined : new Telemetry(this.origin, options.loadTelemetry);
    this.timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : checkDelay('timeoutMs', options.timeoutMs);
    this.retry = resolveRetry(options.retry);
    this.classifier = new FailureClassifier(this.retry.statuses);
    this.maxResponseBytes =
      options.maxResponseBytes === undefined
        ? DEFAULT_MAX_RESPONSE_BYTES
        : checkCount('maxResponseBytes', options.maxResponseBytes, 1, 2 ** 31 - 1);
    this.maxRedirects =
      options.maxRedirects === undefined ? DEFAULT_MAX_REDIRECTS : checkCount('maxRedirects', options.maxRedirects, 0, 20);
    if (options.fetch !== undefined && typeof options.fetch !== 'function')
      throw new ConfigurationError('fetch', 'fetch must be a function');
    const connect = options.tls === undefined ? undefined : tlsConnectOptions(options.tls, base.protocol);
    this.#senders = new Senders(this.origin, this.maxResponseBytes, options.fetch, connect);
    this.#checker = new CallOptionsChecker(this.origin, this.timeoutMs, this.#senders.usesPool);
    const closing = (): boolean => this.#closing !== undefined;
    this.#pipeline = pipeline(
      [
        retryPolicy(this.retry, this.classifier, options.random ?? Math.random, this.#inFlight.waits),
        redirectPolicy(this.origin, this.maxRedirects),
        staleResendPolicy,
        deadlinePolicy(closing, this.retry.maxElapsedMs),
        // Innermost, so that each retry and redirect is a request the hooks see.
        ...policies(this.#hooks?.policy()),
      ],
      this.#senders.attempt(this.#inFlight, closing, this.maxResponseBytes),
    );
    this.#raw = new RawGuard(
      {
        origin: this.origin,
        send: (request, operation, callOptions, observed) => this.#send(request, operation, callOptions, observed),
        finish: (error, where, ...headers) => this.#finish(error, where, ...headers),
        observe: (urlTemplate) => this.#observe(urlTemplate),
        succeeded: (observed, status) => this.#succeeded(observed, status),
        failed: (observed, error, where, ...headers) => this.#failed(observed, error, where, ...headers),
      },
      this.#basePath,
    );
  }

  /**
   * The `raw` openapi-fetch client (made with `fetch: transport.fetchFor()`), guarded: a per-call
   * `fetch` is refused, and what openapi-fetch throws before a request reaches this transport
   * (undici's `Headers` refusing a header value, quoting it in its message) leaves as a redacted
   * `InvalidRequestError` that quotes nothing, like every other failure.
   */
  guardRaw<C extends { use(...middleware: never[]): void }>(client: C): C {
    return this.#raw.guard(client);
  }

  /** A fetch for openapi-fetch (the `raw` client) with this transport's policy. Errors name the call by method and path. */
  fetchFor(): (request: Request) => Promise<Response> {
    return this.#raw.fetch;
  }

  /**
   * Releases the pool's sockets once the requests in flight end (each within its own time limit).
   * A request not written yet (still connecting, e.g. a TLS handshake that stalls) gets a short
   * grace, then ends with `ClientClosedError`; so do retry waits. Idempotent; later calls reject
   * with `ClientClosedError`.
   */
  close(): Promise<void> {
    // A pool still being created is closed once it exists.
    this.#closing ??= this.#senders
      .settled()
      .then(() => this.#inFlight.drain())
      .then(() => this.#senders.destroy())
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
    const observed = this.#observe(spec.path === undefined ? undefined : this.#basePath + spec.path);
    try {
      const prepared = typeof request === 'function' ? buildRequest(request, where) : request;
      where = { ...where, url: prepared.url };
      headers = prepared.headers;
      const response = await this.#send(prepared, spec.operation, options ?? {}, observed);
      const sent = headers;
      const result = decodeResult(spec, response, () => this.redactor.withHeaders(headerEntries(sent, options?.headers)));
      this.#succeeded(observed, response.status);
      return result;
    } catch (error) {
      throw await this.#failed(observed, error, where, headers, options?.headers);
    }
  }

  /** What hooks and telemetry follow of one call; undefined when neither listens. */
  #observe(urlTemplate: string | undefined): Observed | undefined {
    if (!this.#hooks && !this.telemetry) return undefined;
    return { urlTemplate, started: performance.now(), call: undefined, record: undefined };
  }

  #succeeded(observed: Observed | undefined, status: number): void {
    const call = observed?.call;
    if (call) observed.record?.end({ status, error: undefined, resends: call.attempt - 1 + call.redirects });
  }

  /** The call's one typed, redacted error, once `onError` and telemetry have been told of it. */
  async #failed(
    observed: Observed | undefined,
    error: unknown,
    where: RequestSummary,
    ...headers: (PreparedRequest['headers'] | undefined)[]
  ): Promise<VmtasksError> {
    let final = this.#finish(error, where, ...headers);
    if (!observed) return final;
    const { call } = observed;
    if (this.#hooks) {
      const durationMs = performance.now() - observed.started;
      const told = await this.#hooks.error(final, call, where, durationMs);
      if (told !== final) final = this.#finish(told, where, ...headers, call?.headers);
    }
    const status = (final as { status?: unknown }).status;
    observed.record?.end({
      status: typeof status === 'number' && status > 0 ? status : undefined,
      error: final,
      resends: call ? call.attempt - 1 + call.redirects : 0,
    });
    return final;
  }

  /** Checks the call, then runs it through the pipeline. Errors are typed but not yet redacted. */
  async #send(
    request: PreparedRequest,
    operation: string,
    options: CallOptions,
    observed: Observed | undefined,
  ): Promise<BufferedResponse> {
    const started = Date.now();
    if (this.#closing) {
      throw new ClientClosedError(`${operation}: the client is closed`, { operation, method: request.method, url: safeUrl(request.url) });
    }
    const checked = this.#checker.check(request, operation, options);
    const loading = this.#senders.ready();
    if (loading) await loading;
    const telemetryLoading = this.telemetry?.ready();
    if (telemetryLoading) await telemetryLoading;
    const call: Call = {
      operation,
      urlTemplate: observed?.urlTemplate,
      idempotent: isIdempotent(request.method),
      requestedMethod: request.method,
      method: request.method,
      url: checked.url,
      headers: checked.headers,
      body: request.body,
      timeoutMs: checked.timeoutMs,
      deadline: started + this.retry.maxElapsedMs,
      signal: checked.signal,
      attempt: 1,
      redirects: 0,
      cut: false,
      limitMs: checked.timeoutMs,
      staleResend: 'unused',
      sent: false,
      onRetry: undefined,
    };
    if (observed) this.#observing(observed, call, request.method);
    const received = await this.#pipeline(call);
    return { ...received, url: call.url.href };
  }

  /** Starts the call's span, and tells its retries to the hooks and the span. */
  #observing(observed: Observed, call: Call, method: string): void {
    observed.call = call;
    const redacted = (): string => this.redactor.withHeaders(call.headers).text(safeUrl(call.url.href));
    const record = this.telemetry?.call({ operation: call.operation, method, urlTemplate: call.urlTemplate, url: redacted });
    observed.record = record;
    const hooks = this.#hooks;
    if (!record && !hooks) return;
    call.onRetry = async (retried: Call, notice: RetryNotice) => {
      record?.retry(retried.attempt, notice.delayMs, notice.status, notice.reason);
      await hooks?.retry(retried, notice);
    };
  }

  /** Every error leaves as one typed error, redacted last with every secret this call knew. */
  #finish(error: unknown, where: RequestSummary, ...headers: (PreparedRequest['headers'] | undefined)[]): VmtasksError {
    return finishError(this.redactor, error, where, ...headers);
  }
}

const policies = (...each: (Policy | undefined)[]): Policy[] => each.filter((policy) => policy !== undefined);
