import { afterEach, expect } from 'vitest';
import { exposedForms } from '../exposure.js';
import { startTestServer, type Handler, type TestServer } from '../http-server.js';

/** A class the suite checks errors against, e.g. the client's `RedirectError`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** The options the suite sets on a client: the transport's, and the credential. */
export interface ConformanceClientOptions {
  /** The credential to authenticate with (the target's default when absent). */
  secret?: string;
  timeoutMs?: number;
  retry?: false | { retries?: number; baseDelayMs?: number; maxDelayMs?: number; maxElapsedMs?: number };
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  tls?: { ca: string };
  maxResponseBytes?: number;
  maxRedirects?: number;
  hooks?: ConformanceHooks;
}

/** The client's `hooks` option, as the suite sets it (each hook is told an info object). */
export type ConformanceHooks = Partial<Record<'onRequest' | 'onResponse' | 'onRetry' | 'onError', (info: object) => void | Promise<void>>>;

// Type aliases, not interfaces: openapi-fetch's options take an index signature.
/** What a call takes: the transport's per-call options. */
export type ConformanceCallOptions = {
  signal?: AbortSignal;
  headers?: Record<string, string>;
};

/** What a raw (openapi-fetch) call takes, as a careless caller would pass it. */
export type ConformanceRawOptions = ConformanceCallOptions & {
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
};

/** One client under test: how to make it, call it, and what it names its errors. */
export interface ConformanceTarget<Client extends { close(): Promise<void> }> {
  /** Shown in the describe block. */
  name: string;
  /** A client of the API served at `serverUrl` (the target adds its base path), authenticated with `secret`. */
  makeClient(serverUrl: string, options: ConformanceClientOptions): Client;
  /** One typed GET operation of the client. */
  call(client: Client, options?: ConformanceCallOptions): Promise<unknown>;
  /** The same GET through the client's `raw` openapi-fetch client. */
  rawGet(client: Client, options?: ConformanceRawOptions): Promise<unknown>;
  /** Path and query `call` sends, as the server receives them. */
  callPath: string;
  /** How errors name `call` (its operation id) and `rawGet` (`GET /path`). */
  callOperation: string;
  rawOperation: string;
  /** A body `call` accepts and returns. */
  okBody: unknown;
  /** An error body of the API carrying `message`, and the fields its error has then (beyond status). */
  errorBody(message: string): Record<string, unknown>;
  errorFields?: Record<string, unknown>;
  /** The (lower-case) header carrying the credential. */
  credentialHeader: string;
  /** The credential's default value, and the forms it is sent in (e.g. Basic base64); both are secrets. */
  secret: string;
  sentForms(secret: string): string[];
  /** Other secrets the client is configured with (e.g. a header token). */
  otherSecrets?: string[];
  /** The API's error class for an error status. */
  apiError: ErrorClass;
  /** The transport's error classes, as the client exports them (its module namespace will do). */
  errors: {
    RedirectError: ErrorClass;
    ResponseTooLargeError: ErrorClass;
    RetryAfterTooLongError: ErrorClass;
    TimeoutError: ErrorClass;
    TransportError: ErrorClass;
    InvalidRequestError: ErrorClass;
    MalformedResponseError: ErrorClass;
    ClientClosedError: ErrorClass;
    HookError: ErrorClass;
  };
}

/**
 * A secret full of characters each encoding treats differently, and the forms a server may echo
 * it in: RFC 3986, PHP's JSON (`\/`, `\uXXXX`), HTML references, a form, the URL parser's path.
 */
export function echoedForms(secret = "tok(en)!wo'rd*~é/x<&>") {
  return {
    secret,
    rfc3986: encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    php: JSON.stringify(secret)
      .slice(1, -1)
      .replaceAll('/', '\\/')
      .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    html: secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
    form: new URLSearchParams({ s: secret }).toString().slice(2),
    pathForm: new URL(`http://h/${secret}`).pathname.slice(1),
  };
}

/** A per-call bearer token the suite sends, which must not show either. */
export const CALL_TOKEN = 'call-bearer-q1w2e3';

/** The helpers every part of the suite uses, bound to one target; servers and clients closed after each test. */
export interface Harness<Client extends { close(): Promise<void> }> {
  target: ConformanceTarget<Client>;
  serve(handler: Handler, options?: Parameters<typeof startTestServer>[1]): Promise<TestServer>;
  client(serverUrl: string, options?: ConformanceClientOptions): Client;
  expectNothingExposed(error: unknown, secrets?: readonly string[]): void;
}

export function harness<Client extends { close(): Promise<void> }>(target: ConformanceTarget<Client>): Harness<Client> {
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const defaultSecrets = [target.secret, ...target.sentForms(target.secret), ...(target.otherSecrets ?? []), CALL_TOKEN];
  return {
    target,
    async serve(handler, options = {}) {
      const server = await startTestServer(handler, options);
      servers.push(server);
      return server;
    },
    client(serverUrl, options = {}) {
      const made = target.makeClient(serverUrl, { retry: { baseDelayMs: 5, maxDelayMs: 1_000 }, ...options });
      clients.push(made);
      return made;
    },
    /** No secret, in any form a server may echo it, in any form the error can be shown. */
    expectNothingExposed(error, secrets = defaultSecrets) {
      for (const form of exposedForms(error)) {
        expect(form).not.toMatch(/^UNSHOWABLE/);
        for (const secret of secrets) {
          expect(form).not.toContain(secret);
          expect(form).not.toContain(encodeURIComponent(secret));
        }
      }
    },
  };
}

/** The value or the error a promise settles with. */
export const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
