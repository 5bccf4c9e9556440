import { inspect } from 'node:util';
import { neutralize } from './neutralize.js';

/** Where a failed call was going: enough to find it in logs, never a credential. */
export interface RequestSummary {
  /** The API operation, e.g. `listTasks`. */
  operation: string;
  method: string;
  /** The URL without user info; see `safeUrl`. */
  url: string;
}

/**
 * Base of every error a vmtasks client throws. Its string, JSON and `util.inspect` forms show
 * only fields that were redacted when the error was made.
 */
export abstract class VmtasksError extends Error {
  readonly operation: string;
  readonly method: string;
  readonly url: string;

  constructor(message: string, request: RequestSummary, options?: { cause?: unknown }) {
    // The one place server text reaches a message: whatever a server said is shown, never obeyed.
    super(neutralize(message), options);
    this.name = new.target.name;
    this.operation = request.operation;
    this.method = request.method;
    this.url = request.url;
  }

  /** The fields that describe this error; subclasses add theirs. */
  protected details(): Record<string, unknown> {
    return { operation: this.operation, method: this.method, url: this.url };
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...this.details() };
  }

  [inspect.custom](): string {
    const cause = this.cause instanceof Error ? `\n  [cause]: ${neutralize(`${this.cause.name}: ${this.cause.message}`)}` : '';
    return `${this.stack ?? `${this.name}: ${this.message}`}\n  ${inspect(this.details(), { depth: 4, breakLength: Infinity })}${cause}`;
  }
}

/**
 * The server answered with an HTTP error status. Each API's client throws a subclass whose own
 * fields are the checked, typed view of the body.
 */
export class ApiError extends VmtasksError {
  readonly status: number;
  /** The error body as received (redacted): decoded JSON, the raw text when it was not JSON, or undefined when empty. */
  readonly body: unknown;

  constructor(message: string, init: RequestSummary & { status: number; body: unknown }, options?: { cause?: unknown }) {
    super(message, init, options);
    this.status = init.status;
    this.body = init.body;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), status: this.status, body: this.body };
  }
}

/** The request never got a complete HTTP response: connection refused or reset, DNS, TLS, … */
export class TransportError extends VmtasksError {
  /** How many attempts were made, retries included. */
  readonly attempts: number;
  /** The system or undici error code, e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, when there was one. */
  readonly code: string | undefined;

  constructor(message: string, init: RequestSummary & { attempts: number; code?: string }, options?: { cause?: unknown }) {
    super(message, init, options);
    this.attempts = init.attempts;
    this.code = init.code;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), attempts: this.attempts, code: this.code };
  }
}

/**
 * The call ran out of time: one attempt's `timeoutMs`, or the whole call's `retry.maxElapsedMs`
 * (`limit` says which).
 */
export class TimeoutError extends TransportError {
  /** The bound that ran out, ms. */
  readonly timeoutMs: number;
  readonly limit: 'timeoutMs' | 'maxElapsedMs';

  constructor(message: string, init: RequestSummary & { attempts: number; timeoutMs: number; limit: 'timeoutMs' | 'maxElapsedMs' }) {
    super(message, init);
    this.timeoutMs = init.timeoutMs;
    this.limit = init.limit;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), timeoutMs: this.timeoutMs, limit: this.limit };
  }
}

/** Why a redirect was not followed. */
export type RedirectRefusal = 'cross-origin' | 'downgrade' | 'too-many' | 'bad-location';

/**
 * A redirect the client does not follow: to another origin, from https to http, one too many,
 * or with an unusable `Location`. Only the target's origin is kept, never its path or query.
 */
export class RedirectError extends VmtasksError {
  readonly status: number;
  /** `https://host:port` of the target, when it had one. */
  readonly targetOrigin: string | undefined;
  readonly reason: RedirectRefusal;

  constructor(message: string, init: RequestSummary & { status: number; targetOrigin: string | undefined; reason: RedirectRefusal }) {
    super(message, init);
    this.status = init.status;
    this.targetOrigin = init.targetOrigin;
    this.reason = init.reason;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), status: this.status, targetOrigin: this.targetOrigin, reason: this.reason };
  }
}

/** The response body, decoded (gzip, deflate, br undone), grew past `maxResponseBytes`; reading stopped there. */
export class ResponseTooLargeError extends VmtasksError {
  readonly status: number;
  readonly limitBytes: number;

  constructor(message: string, init: RequestSummary & { status: number; limitBytes: number }) {
    super(message, init);
    this.status = init.status;
    this.limitBytes = init.limitBytes;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), status: this.status, limitBytes: this.limitBytes };
  }
}

/**
 * The server asked, with `Retry-After`, for a longer wait than the retry policy allows
 * (`retry.maxDelayMs`, or what is left of `retry.maxElapsedMs`).
 */
export class RetryAfterTooLongError extends VmtasksError {
  readonly status: number;
  /** The wait the server asked for, ms. */
  readonly retryAfterMs: number;
  /** The longest wait the policy allowed at that point, ms. */
  readonly limitMs: number;
  readonly attempts: number;

  constructor(
    message: string,
    init: RequestSummary & { status: number; retryAfterMs: number; limitMs: number; attempts: number },
    options?: { cause?: unknown },
  ) {
    super(message, init, options);
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.limitMs = init.limitMs;
    this.attempts = init.attempts;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), status: this.status, retryAfterMs: this.retryAfterMs, limitMs: this.limitMs, attempts: this.attempts };
  }
}

/** A call's own arguments are unusable (a filter value, a per-call header, …); nothing was sent. */
export class InvalidRequestError extends VmtasksError {
  /** The argument at fault, e.g. `filter.status[1]`, `headers.x-trace`. */
  readonly parameter: string;

  constructor(message: string, init: RequestSummary & { parameter: string }) {
    super(message, init);
    this.parameter = init.parameter;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), parameter: this.parameter };
  }
}

/** A call made after the client's `close()`. */
export class ClientClosedError extends VmtasksError {}

/**
 * A client option is unusable; thrown by `create…Client` before anything is sent. The message
 * names the option and what it must be, never its value when that could be a secret.
 */
export class ConfigurationError extends VmtasksError {
  /** The option at fault, e.g. `baseUrl`, `tls.ca`, `retry.maxDelayMs`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message, { operation: 'createClient', method: '', url: '' });
    this.option = option;
  }

  protected override details(): Record<string, unknown> {
    return { option: this.option };
  }
}

/** Which request hook threw (see `RequestHooks`). */
export type HookName = 'onRequest' | 'onResponse' | 'onRetry' | 'onError';

/**
 * A request hook (`hooks` client option) threw or rejected: the call ends with this error, which
 * names the hook; what the hook threw is its (redacted) `cause`. A hook that fails in `onError`
 * replaces the call's error, which is kept as `callError`.
 */
export class HookError extends VmtasksError {
  readonly hook: HookName;
  // Not an own field: redaction copies those into plain values, and this error is redacted already.
  readonly #callError: VmtasksError | undefined;

  constructor(message: string, init: RequestSummary & { hook: HookName; callError?: VmtasksError }, options?: { cause?: unknown }) {
    super(message, init, options);
    this.hook = init.hook;
    this.#callError = init.callError;
  }

  /** The error the call ended with when `onError` threw. */
  get callError(): VmtasksError | undefined {
    return this.#callError;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), hook: this.hook, callError: this.callError?.toJSON() };
  }
}

/** The caller's `signal` aborted the call. */
export class AbortError extends VmtasksError {}

/** A successful status with a body that is not the documented JSON. The raw text is kept. */
export class MalformedResponseError extends VmtasksError {
  readonly status: number;
  readonly rawBody: string;

  constructor(message: string, init: RequestSummary & { status: number; rawBody: string }, options?: { cause?: unknown }) {
    super(message, init, options);
    this.status = init.status;
    this.rawBody = init.rawBody;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), status: this.status, rawBody: this.rawBody };
  }
}
