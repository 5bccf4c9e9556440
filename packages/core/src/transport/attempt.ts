import type { Dispatcher } from 'undici';
import { type ContentDecoder, contentDecoder, DecodedTooLargeError } from './decompress.js';
import { onAbort } from '../signal.js';
import { metStaleConnection } from './stale-connection.js';
import type { FetchFunction } from './tls.js';

/** Response headers, lower-cased names, as undici gives them. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** One request on the wire: no retries, no redirects, one time limit. */
export interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** This attempt's time limit, ms: headers and the whole body. */
  limitMs: number;
  signal: AbortSignal | undefined;
  /** Aborted when the client closes: ends the attempt at once if its request is not written yet. */
  unsent?: AbortSignal | undefined;
}

/** A response whose body has been read in full (and decoded), inside the attempt that fetched it. */
export interface Received {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  payload: Buffer | null;
}

/** Why an attempt ended without a response. */
export class AttemptFailure extends Error {
  /** A reused keep-alive connection was found closed by the server; the request never reached it. */
  readonly staleConnection: boolean;

  constructor(
    readonly kind: 'timeout' | 'aborted' | 'too-large' | 'network' | 'closed',
    readonly status = 0,
    options?: { cause?: unknown; staleConnection?: boolean },
  ) {
    super(kind, options);
    this.staleConnection = options?.staleConnection ?? false;
  }
}

export type Sender = (exchange: Exchange) => Promise<Received>;

// Statuses whose responses carry no body.
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Settles an attempt once: on its result, its timer, the caller's signal, or the client's close
 * while the request is not written yet (`written` says when it is). `cancel` stops the wire side
 * (undici's controller, or fetch's signal).
 */
function attempt<T>(exchange: Exchange, run: (settle: Settle<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    // Declared before anything that can throw: a timer must never meet an uninitialised binding.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    let unsubscribeClose: (() => void) | undefined;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      unsubscribe?.();
      unsubscribeClose?.();
      return true;
    };
    const settle: Settle<T> = {
      written: false,
      cancel: () => undefined,
      resolve: (value) => finish() && resolve(value),
      reject: (failure) => {
        if (!finish()) return;
        settle.cancel(failure);
        reject(failure);
      },
      get done() {
        return done;
      },
    };
    try {
      timer = setTimeout(() => settle.reject(new AttemptFailure('timeout')), exchange.limitMs);
      unsubscribe = exchange.signal ? onAbort(exchange.signal, () => settle.reject(new AttemptFailure('aborted'))) : undefined;
      const closed = (): void => {
        if (!settle.written) settle.reject(new AttemptFailure('closed'));
      };
      unsubscribeClose = exchange.unsent ? onAbort(exchange.unsent, closed) : undefined;
      run(settle);
    } catch (error) {
      settle.reject(new AttemptFailure('network', 0, { cause: error }));
    }
  });
}

interface Settle<T> {
  /** True once the request is on the wire (a user fetch counts as written from the start). */
  written: boolean;
  cancel: (reason: Error) => void;
  resolve: (value: T) => void;
  reject: (failure: AttemptFailure) => void;
  readonly done: boolean;
}

/**
 * Sends through undici's dispatcher API (a keep-alive Pool), the fastest path Node has: no
 * Request/Response objects, body chunks collected as they come and counted against `maxBytes`,
 * an encoded body decoded as it arrives with the same cap on every decoded layer.
 */
export function dispatchSender(dispatcher: Dispatcher, maxBytes: number): Sender {
  return (exchange) =>
    attempt<Received>(exchange, (settle) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      let statusText = '';
      let headers: ResponseHeaders = {};
      // Set when the body is encoded: it is decoded as it arrives, so a bomb stops at the cap.
      let decoder: ContentDecoder | undefined;
      const options: Dispatcher.DispatchOptions = {
        origin: exchange.url.origin,
        path: exchange.url.pathname + exchange.url.search,
        method: exchange.method,
        headers: exchange.headers,
        body: exchange.body,
      };
      dispatcher.dispatch(options, {
        onRequestStart(controller) {
          if (settle.done) return controller.abort(new Error('attempt already settled'));
          settle.written = true;
          settle.cancel = (reason) => {
            decoder?.destroy();
            controller.abort(reason);
          };
        },
        onResponseStart(controller, statusCode, responseHeaders, statusMessage) {
          status = statusCode;
          statusText = statusMessage ?? '';
          headers = responseHeaders;
          const length = Number(responseHeaders['content-length']);
          if (length > maxBytes) return settle.reject(new AttemptFailure('too-large', status));
          const encoding = responseHeaders['content-encoding'];
          if (encoding === undefined || NULL_BODY_STATUSES.has(status)) return;
          decoder = contentDecoder(encoding, maxBytes);
          if (!decoder) return;
          decoder.onFailure = (error) => settle.reject(decodeFailure(error, status));
          decoder.onDrain = () => settle.done || controller.resume();
        },
        onResponseData(controller, chunk) {
          size += chunk.length;
          if (size > maxBytes) settle.reject(new AttemptFailure('too-large', status));
          else if (!decoder) chunks.push(chunk);
          // zlib is behind: stop reading the socket until it drains.
          else if (!decoder.write(chunk)) controller.pause();
        },
        onResponseEnd() {
          if (settle.done) return;
          if (NULL_BODY_STATUSES.has(status)) return settle.resolve({ status, statusText, headers, payload: null });
          if (!decoder) {
            const payload = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
            return settle.resolve({ status, statusText, headers, payload });
          }
          decoder.finish().then(
            (payload) => settle.resolve({ status, statusText, headers, payload }),
            (error: unknown) => settle.reject(decodeFailure(error, status)),
          );
        },
        onResponseError(_controller, error) {
          const staleConnection = metStaleConnection(options, error, status !== 0);
          settle.reject(new AttemptFailure('network', status, { cause: error, staleConnection }));
        },
      });
    });
}

/**
 * Sends through a user-supplied fetch, with `redirect: 'manual'` (redirects are the transport's
 * to judge), reading the (already decoded) body chunk by chunk against `maxBytes`.
 */
export function fetchSender(fetch: FetchFunction, dispatcher: Dispatcher | undefined, maxBytes: number): Sender {
  return (exchange) =>
    attempt<Received>(exchange, (settle) => {
      // fetch does not say when the request is written.
      settle.written = true;
      const controller = new AbortController();
      settle.cancel = (reason) => controller.abort(reason);
      const init: RequestInit = {
        method: exchange.method,
        headers: exchange.headers,
        // A copy per attempt: fetch may detach what it is given, and a retry or a 307 sends it again.
        body: exchange.body ? exchange.body.slice() : undefined,
        signal: controller.signal,
        redirect: 'manual',
      };
      // undici's fetch (the global one too) takes a `dispatcher`; RequestInit does not declare it.
      if (dispatcher) Object.assign(init, { dispatcher });
      const read = async (): Promise<Received> => {
        const response = await fetch(exchange.url.href, init);
        const chunks: Uint8Array[] = [];
        let size = 0;
        const reader = response.body?.getReader();
        for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
          size += chunk.value.byteLength;
          if (size > maxBytes) {
            await reader?.cancel().catch(() => undefined);
            throw new AttemptFailure('too-large', response.status);
          }
          chunks.push(chunk.value);
        }
        const headers: ResponseHeaders = {};
        response.headers.forEach((value, name) => (headers[name] = value));
        // fetch has decoded the body already: its encoding no longer describes the bytes.
        delete headers['content-encoding'];
        delete headers['content-length'];
        const payload = NULL_BODY_STATUSES.has(response.status) ? null : Buffer.concat(chunks, size);
        return { status: response.status, statusText: response.statusText, headers, payload };
      };
      read().then(settle.resolve, (error: unknown) =>
        settle.reject(error instanceof AttemptFailure ? error : new AttemptFailure('network', 0, { cause: error })),
      );
    });
}

function decodeFailure(error: unknown, status: number): AttemptFailure {
  return new AttemptFailure(error instanceof DecodedTooLargeError ? 'too-large' : 'network', status, { cause: error });
}
