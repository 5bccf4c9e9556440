import { inspect } from 'node:util';

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
    super(message, options);
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
    const cause = this.cause instanceof Error ? `\n  [cause]: ${this.cause.name}: ${this.cause.message}` : '';
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

  constructor(message: string, init: RequestSummary & { attempts: number }, options?: { cause?: unknown }) {
    super(message, init, options);
    this.attempts = init.attempts;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), attempts: this.attempts };
  }
}

/** Every attempt ran out of time (`timeoutMs` per attempt). */
export class TimeoutError extends TransportError {
  readonly timeoutMs: number;

  constructor(message: string, init: RequestSummary & { attempts: number; timeoutMs: number }) {
    super(message, init);
    this.timeoutMs = init.timeoutMs;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), timeoutMs: this.timeoutMs };
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
