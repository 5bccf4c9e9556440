import { InvalidRequestError, type RequestSummary, VmtasksError } from '../errors.js';
import { safeUrl } from '../redact.js';
import { isRecord } from '../util.js';
import type { Observed } from './call.js';
import type { BufferedResponse, CallOptions, PreparedRequest } from './types.js';

/** What the guard needs of its transport: the pipeline, the last step of every error, and what hooks and telemetry follow. */
export interface RawGuardHost {
  readonly origin: string;
  send(request: PreparedRequest, operation: string, options: CallOptions, observed: Observed | undefined): Promise<BufferedResponse>;
  finish(error: unknown, where: RequestSummary, ...headers: (PreparedRequest['headers'] | undefined)[]): VmtasksError;
  observe(urlTemplate: string | undefined): Observed | undefined;
  succeeded(observed: Observed | undefined, status: number): void;
  failed(
    observed: Observed | undefined,
    error: unknown,
    where: RequestSummary,
    ...headers: (PreparedRequest['headers'] | undefined)[]
  ): Promise<VmtasksError>;
}

/**
 * The `raw` openapi-fetch client's way in: a fetch that sends through the transport's pipeline,
 * and a guard that keeps everything openapi-fetch does on that path. A per-call `fetch` would send
 * the request, credentials included, around the policies (openapi-fetch follows every redirect,
 * to any origin), so it is refused; what openapi-fetch throws before a request reaches the
 * transport (undici's `Headers` refusing a header value, quoting it) leaves redacted and typed.
 */
export class RawGuard {
  // The spec path (openapi-fetch's `schemaPath`) of each request on its way: the call's URL template.
  readonly #templates = new WeakMap<Request, string>();
  readonly #basePath: string;

  constructor(
    readonly host: RawGuardHost,
    basePath = '',
  ) {
    this.#basePath = basePath;
  }

  readonly fetch = async (request: Request): Promise<Response> => {
    const operation = `${request.method} ${new URL(request.url).pathname}`;
    const schemaPath = this.#templates.get(request);
    const observed = this.host.observe(schemaPath === undefined ? undefined : this.#basePath + schemaPath);
    try {
      const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
      const prepared: PreparedRequest = { method: request.method, url: request.url, headers: request.headers, body };
      const received = await this.host.send(prepared, operation, { signal: request.signal }, observed);
      this.host.succeeded(observed, received.status);
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
      throw await this.host.failed(observed, error, { operation, method: request.method, url: request.url }, request.headers);
    }
  };

  readonly #middleware = {
    onRequest: ({ request, options, schemaPath }: { request: Request; options: { fetch?: unknown }; schemaPath?: string }): undefined => {
      if (options.fetch === this.fetch) {
        if (typeof schemaPath === 'string') this.#templates.set(request, schemaPath);
        return undefined;
      }
      const where = { operation: `${request.method} ${new URL(request.url).pathname}`, method: request.method, url: safeUrl(request.url) };
      const why = `${where.operation}: a per-call fetch would bypass the client's redirect and retry policy; pass fetch when creating the client`;
      throw this.host.finish(new InvalidRequestError(why, { ...where, parameter: 'fetch' }), where, request.headers);
    },
  };

  guard<C extends { use(...middleware: never[]): void }>(client: C): C {
    (client.use as (middleware: unknown) => void).call(client, this.#middleware);
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
            const where = { operation: `${String(method)} ${String(path)}`, method: String(method), url: this.host.origin };
            // The foreign message may quote a header value: only its kind is kept.
            const why = `${where.operation}: the request cannot be built (${error instanceof Error ? error.name : typeof error}: openapi-fetch or fetch refused an argument, e.g. a header value with CR, LF, NUL or characters beyond Latin-1)`;
            const headers = isRecord(init) ? (init['headers'] as PreparedRequest['headers'] | undefined) : undefined;
            throw this.host.finish(new InvalidRequestError(why, { ...where, parameter: 'request' }), where, headers);
          }
        };
      },
    });
  }
}
