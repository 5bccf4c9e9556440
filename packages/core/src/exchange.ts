import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { onAbort } from './signal.js';
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
  constructor(
    readonly kind: 'timeout' | 'aborted' | 'too-large' | 'network',
    readonly status = 0,
    options?: { cause?: unknown },
  ) {
    super(kind, options);
  }
}

export type Sender = (exchange: Exchange) => Promise<Received>;

// Statuses whose responses carry no body.
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Settles an attempt once: on its result, its timer, or the caller's signal. `cancel` stops the
 * wire side (undici's controller, or fetch's signal).
 */
function attempt<T>(exchange: Exchange, run: (settle: Settle<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    // Declared before anything that can throw: a timer must never meet an uninitialised binding.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      unsubscribe?.();
      return true;
    };
    const settle: Settle<T> = {
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
      run(settle);
    } catch (error) {
      settle.reject(new AttemptFailure('network', 0, { cause: error }));
    }
  });
}

interface Settle<T> {
  cancel: (reason: Error) => void;
  resolve: (value: T) => void;
  reject: (failure: AttemptFailure) => void;
  readonly done: boolean;
}

/**
 * Sends through undici's dispatcher API (a keep-alive Pool), the fastest path Node has: no
 * Request/Response objects, no streams, body chunks collected as they come and counted against
 * `maxBytes`, then decoded with a cap on the decoded size.
 */
export function dispatchSender(dispatcher: Dispatcher, maxBytes: number): Sender {
  return (exchange) =>
    attempt<Received>(exchange, (settle) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      let statusText = '';
      let headers: ResponseHeaders = {};
      dispatcher.dispatch(
        {
          origin: exchange.url.origin,
          path: exchange.url.pathname + exchange.url.search,
          method: exchange.method,
          headers: exchange.headers,
          body: exchange.body,
        },
        {
          onRequestStart(controller) {
            if (settle.done) controller.abort(new Error('attempt already settled'));
            else settle.cancel = (reason) => controller.abort(reason);
          },
          onResponseStart(_controller, statusCode, responseHeaders, statusMessage) {
            status = statusCode;
            statusText = statusMessage ?? '';
            headers = responseHeaders;
            const length = Number(responseHeaders['content-length']);
            if (length > maxBytes) settle.reject(new AttemptFailure('too-large', status));
          },
          onResponseData(_controller, chunk) {
            size += chunk.length;
            if (size > maxBytes) settle.reject(new AttemptFailure('too-large', status));
            else chunks.push(chunk);
          },
          onResponseEnd() {
            if (settle.done) return;
            const raw = NULL_BODY_STATUSES.has(status) ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
            if (!raw || headers['content-encoding'] === undefined) return settle.resolve({ status, statusText, headers, payload: raw });
            decode(raw, headers['content-encoding'], maxBytes).then(
              (payload) => settle.resolve({ status, statusText, headers, payload }),
              (error: unknown) => settle.reject(decodeFailure(error, status)),
            );
          },
          onResponseError(_controller, error) {
            settle.reject(new AttemptFailure('network', status, { cause: error }));
          },
        },
      );
    });
}

/**
 * Sends through a user-supplied fetch, with `redirect: 'manual'` (redirects are the transport's
 * to judge), reading the (already decoded) body chunk by chunk against `maxBytes`.
 */
export function fetchSender(fetch: FetchFunction, dispatcher: Dispatcher | undefined, maxBytes: number): Sender {
  return (exchange) =>
    attempt<Received>(exchange, (settle) => {
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

type Decoder = (buffer: Buffer, options: ZlibOptions) => Promise<Buffer>;
const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress) as Decoder,
  // "deflate" is meant to be zlib-wrapped, but some servers send it raw.
  // Only a format error falls back: a zlib stream that outgrew the cap is a bomb, not raw deflate.
  deflate: (buffer, options) =>
    promisify(inflate)(buffer, options).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
      return promisify(inflateRaw)(buffer, options);
    }),
};

/**
 * Undoes `Content-Encoding` (last applied, first undone) on zlib's thread pool, with
 * `maxOutputLength` so a gzip bomb stops at the cap instead of filling memory. Hand-written:
 * undici's decompress interceptor does this too but is experimental and prints a warning to
 * every user's stderr.
 */
async function decode(raw: Buffer, encoding: string | string[], maxBytes: number): Promise<Buffer> {
  const codings = String(encoding)
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity');
  let payload = raw;
  for (const coding of codings.reverse()) {
    const decoder = DECODERS[coding];
    // An unknown coding is left as it is; the caller sees bytes it cannot read, as with fetch.
    if (!decoder) return payload;
    payload = await decoder(payload, { maxOutputLength: maxBytes });
  }
  return payload;
}

function decodeFailure(error: unknown, status: number): AttemptFailure {
  const code = (error as { code?: unknown }).code;
  return new AttemptFailure(code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'network', status, { cause: error });
}
