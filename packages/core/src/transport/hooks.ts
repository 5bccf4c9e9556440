import { ConfigurationError, HookError, type HookName, type RequestSummary, type VmtasksError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { safeUrl } from '../redact.js';
import { isRecord } from '../util.js';
import type { Received } from './attempt.js';
import { type Call, callSummary, type Policy, type RetryNotice } from './call.js';
import { describeFailure } from './failure.js';

/** What every hook is told about the request at hand. Never a credential: the URL is redacted, no header or body is given. */
export interface HookRequestInfo {
  /** The API operation, e.g. `listTasks` (`GET /path` for the `raw` client). */
  readonly operation: string;
  /** The method of this request (a 303 redirect turns a POST into a GET). */
  readonly method: string;
  /** The operation's path template, e.g. `/velostrata/api/v42/tasks/{taskId}`; undefined when unknown (some `raw` calls). */
  readonly urlTemplate: string | undefined;
  /** This request's URL, redacted: no user info, credential-like query values hidden, every known secret replaced. */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry, …; 0 when the call failed before anything was sent. */
  readonly attempt: number;
  /** Same-origin redirects followed so far in this call. */
  readonly redirects: number;
}

/** `onResponse`: one response arrived (a redirect and a retried status included). */
export interface HookResponseInfo extends HookRequestInfo {
  readonly status: number;
  /** This request's time, from sending to the whole body read, ms. */
  readonly durationMs: number;
}

/** `onRetry`: attempt `attempt` failed in a way that heals; the call waits `delayMs`, then sends attempt `attempt + 1`. */
export interface HookRetryInfo extends HookRequestInfo {
  readonly delayMs: number;
  /** The status that is retried, or undefined when the attempt got no response. */
  readonly status: number | undefined;
  /** What failed: a retried `status`, an attempt that ran out of `timeout`, or a `network` failure. */
  readonly reason: 'status' | 'timeout' | 'network';
  /** The system or undici error code of a failed attempt, e.g. `ECONNRESET`. */
  readonly code: string | undefined;
}

/** `onError`: the call failed; `error` is what it rejects with (typed, redacted). */
export interface HookErrorInfo extends HookRequestInfo {
  readonly error: VmtasksError;
  /** The HTTP status of an error answer, when there was one. */
  readonly status: number | undefined;
  /** The whole call's time, retries included, ms. */
  readonly durationMs: number;
}

/**
 * Functions told of each step of every call a client makes (`hooks` client option), for logging
 * and metrics of your own. A hook may be async; the call waits for it. One that throws or rejects
 * ends the call with a `HookError` naming it.
 */
export interface RequestHooks {
  /** Before each request is sent: the first attempt, each retry, each redirect followed. */
  onRequest?: ((info: HookRequestInfo) => void | Promise<void>) | undefined;
  /** After each response is read in full, whatever its status. */
  onResponse?: ((info: HookResponseInfo) => void | Promise<void>) | undefined;
  /** Before waiting to send a retry. */
  onRetry?: ((info: HookRetryInfo) => void | Promise<void>) | undefined;
  /** Once, when the call fails, with the error it rejects with. */
  onError?: ((info: HookErrorInfo) => void | Promise<void>) | undefined;
}

const HOOK_NAMES = ['onRequest', 'onResponse', 'onRetry', 'onError'] as const satisfies readonly HookName[];

/** The hooks option, checked when the client is made; undefined when no hook is set. */
export function checkHooks(hooks: unknown): RequestHooks | undefined {
  if (hooks === undefined) return undefined;
  if (!isRecord(hooks))
    throw new ConfigurationError('hooks', 'hooks must be an object of functions (onRequest, onResponse, onRetry, onError)');
  for (const name of Object.keys(hooks)) {
    if (!(HOOK_NAMES as readonly string[]).includes(name))
      throw new ConfigurationError(`hooks.${name}`, `hooks has no ${name.slice(0, 40)}; the hooks are ${HOOK_NAMES.join(', ')}`);
    if (hooks[name] !== undefined && typeof hooks[name] !== 'function')
      throw new ConfigurationError(`hooks.${name}`, `hooks.${name} must be a function`);
  }
  return HOOK_NAMES.some((name) => hooks[name] !== undefined) ? (hooks as RequestHooks) : undefined;
}

/**
 * The hooks of one transport: `onRequest`/`onResponse` as the innermost policy (so that each
 * retry and redirect is seen), `onRetry` from the retry policy, `onError` from the transport once
 * the call's error is final. Whatever a hook is given is redacted with the client's secrets and
 * the call's own (its headers).
 */
export class Hooks {
  // The redactor of each call in flight: the client's plus the secrets in the call's headers.
  readonly #redactors = new WeakMap<Call, Redactor>();

  constructor(
    readonly hooks: RequestHooks,
    readonly redactor: Redactor,
  ) {}

  /** The policy that tells `onRequest` and `onResponse`; undefined when neither is set. */
  policy(): Policy | undefined {
    const { onRequest, onResponse } = this.hooks;
    if (!onRequest && !onResponse) return undefined;
    return async (call, next) => {
      if (onRequest) await this.#run(call, 'onRequest', onRequest, this.#info(call));
      const started = performance.now();
      const received: Received = await next(call);
      if (onResponse) {
        const info: HookResponseInfo = { ...this.#info(call), status: received.status, durationMs: performance.now() - started };
        await this.#run(call, 'onResponse', onResponse, info);
      }
      return received;
    };
  }

  /** Tells `onRetry`, if set. */
  async retry(call: Call, notice: RetryNotice): Promise<void> {
    const { onRetry } = this.hooks;
    if (!onRetry) return;
    const info: HookRetryInfo = { ...this.#info(call), ...notice };
    await this.#run(call, 'onRetry', onRetry, info);
  }

  /**
   * Tells `onError` of the call's final (already redacted) error; resolves with the error the call
   * rejects with: that one, or a `HookError` when the hook threw (to be redacted by the caller).
   */
  async error(error: VmtasksError, call: Call | undefined, where: RequestSummary, durationMs: number): Promise<VmtasksError> {
    const { onError } = this.hooks;
    if (!onError) return error;
    const base = call
      ? this.#info(call)
      : { ...where, url: this.redactor.text(safeUrl(where.url)), urlTemplate: undefined, attempt: 0, redirects: 0 };
    const status = (error as { status?: unknown }).status;
    const info: HookErrorInfo = { ...base, error, status: typeof status === 'number' ? status : undefined, durationMs };
    try {
      await onError(Object.freeze(info));
      return error;
    } catch (thrown) {
      return hookError('onError', where, thrown, error);
    }
  }

  async #run<T extends HookRequestInfo>(call: Call, name: HookName, hook: (info: T) => void | Promise<void>, info: T): Promise<void> {
    try {
      await hook(Object.freeze(info));
    } catch (thrown) {
      throw hookError(name, callSummary(call), thrown);
    }
  }

  #info(call: Call): HookRequestInfo {
    let redactor = this.#redactors.get(call);
    if (!redactor) {
      redactor = this.redactor.withHeaders(call.headers);
      this.#redactors.set(call, redactor);
    }
    return {
      operation: call.operation,
      method: call.method,
      urlTemplate: call.urlTemplate,
      url: redactor.text(safeUrl(call.url.href)),
      attempt: call.attempt,
      redirects: call.redirects,
    };
  }
}

function hookError(hook: HookName, where: RequestSummary, thrown: unknown, callError?: VmtasksError): HookError {
  return new HookError(
    `${where.operation}: the ${hook} hook threw: ${describeFailure(thrown)}`,
    { ...where, url: safeUrl(where.url), hook, callError },
    { cause: thrown },
  );
}
