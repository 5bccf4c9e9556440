import { InvalidRequestError, type RequestSummary } from '../errors.js';
import { describeFailure } from './failure.js';
import { ArgumentProblem } from '../query.js';
import { safeUrl } from '../redact.js';
import { checkDelay } from '../retry.js';
import { headerProblem, isRecord } from '../util.js';
import type { CallOptions, PreparedRequest } from './types.js';

const ACCEPT_ENCODING = 'gzip, deflate, br';

/** What a call's options and request come to once checked: each bad one is the call's `InvalidRequestError`. */
export interface CheckedCall {
  url: URL;
  timeoutMs: number;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
}

/**
 * Checks one call's options and request against the client's: an options object, a real
 * AbortSignal, a valid per-call timeout, headers that can be sent, and a URL on the client's one
 * origin. Request header objects are normalised once (lower-case names, Accept-Encoding when the
 * pool decodes): the convenience methods send the same object every time.
 */
export class CallOptionsChecker {
  readonly #normalised = new WeakMap<object, Record<string, string>>();

  constructor(
    readonly origin: string,
    readonly timeoutMs: number,
    readonly addAcceptEncoding: boolean,
  ) {}

  check(request: PreparedRequest, operation: string, options: CallOptions): CheckedCall {
    const refuse = (parameter: string, why: string, url = safeUrl(request.url)): never => {
      throw new InvalidRequestError(`${operation}: ${why}`, { operation, method: request.method, url, parameter });
    };
    if (typeof options !== 'object' || options === null) return refuse('options', 'options must be an object');
    if (options.signal !== undefined && !isAbortSignal(options.signal)) return refuse('signal', 'signal must be an AbortSignal');
    let url: URL | undefined;
    try {
      url = new URL(request.url);
    } catch {
      url = undefined;
    }
    if (url?.origin !== this.origin) {
      const why = `requests go to ${this.origin} only, the origin of baseUrl; credentials are never sent elsewhere`;
      return refuse('baseUrl', why, url ? url.origin : '(invalid URL)');
    }
    let timeoutMs = this.timeoutMs;
    if (options.timeoutMs !== undefined) {
      try {
        timeoutMs = checkDelay('timeoutMs', options.timeoutMs);
      } catch (error) {
        refuse('timeoutMs', (error as Error).message);
      }
    }
    return { url, timeoutMs, headers: this.#headers(request.headers, options.headers, refuse), signal: options.signal };
  }

  /** The headers to send: the request's, normalised once, then this call's, each checked. */
  #headers(base: PreparedRequest['headers'], extra: unknown, refuse: (parameter: string, why: string) => never): Record<string, string> {
    let normalised = this.#normalised.get(base);
    if (!normalised) {
      normalised = {};
      for (const [name, value] of headerEntries(base)) normalised[name.toLowerCase()] = value;
      if (this.addAcceptEncoding && !('accept-encoding' in normalised)) normalised['accept-encoding'] = ACCEPT_ENCODING;
      if (!(base instanceof Headers)) this.#normalised.set(base, normalised);
    }
    if (extra === undefined) return { ...normalised };
    if (!isRecord(extra)) return refuse('headers', 'headers must be an object of header names to strings');
    const merged = { ...normalised };
    for (const [name, value] of Object.entries(extra)) {
      const problem = headerProblem(name, value);
      if (problem) refuse(`headers.${name}`, `header ${headerProblem(name, '') ? '(name)' : name} ${problem}`);
      merged[name.toLowerCase()] = value as string;
    }
    return merged;
  }
}

/** Builds a request given as a function, so that a bad argument (a filter that cannot be serialized) is a typed rejection. */
export function buildRequest(request: () => PreparedRequest, where: RequestSummary): PreparedRequest {
  try {
    return request();
  } catch (error) {
    const parameter = error instanceof ArgumentProblem ? error.parameter : 'request';
    const why = error instanceof ArgumentProblem ? error.message : `the request cannot be built (${describeFailure(error)})`;
    throw new InvalidRequestError(`${where.operation}: ${why}`, { ...where, parameter });
  }
}

/** The name/value pairs of a request's headers, in either form; non-string values skipped. */
export function headerEntries(...sources: (PreparedRequest['headers'] | undefined)[]): [string, string][] {
  const all: [string, string][] = [];
  for (const source of sources) {
    if (source instanceof Headers) source.forEach((value, name) => all.push([name, value]));
    else if (isRecord(source)) for (const [name, value] of Object.entries(source)) if (typeof value === 'string') all.push([name, value]);
  }
  return all;
}

/** An AbortSignal, or one from another realm or a polyfill that behaves as one. */
function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    value instanceof AbortSignal ||
    (isRecord(value) && typeof value['aborted'] === 'boolean' && typeof value['addEventListener'] === 'function')
  );
}
