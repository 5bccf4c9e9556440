import diagnostics from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parseYaml } from '@redocly/openapi-core';

export interface PrismOptions {
  /** Path of the OpenAPI document. */
  spec: string;
  /**
   * Proxy mode: forward every request to this server and validate its answers against the spec
   * (what `prism proxy --errors` does). Without it, Prism mocks from the spec (`prism mock --errors`).
   */
  upstream?: string;
  /** Seed for dynamic responses (`Prefer: dynamic=true`), so they repeat run after run. */
  seed?: string;
  /** Port to listen on; default 0, a free port the OS picks. */
  port?: number;
  /** Told of every response Prism finished sending, as it went out. */
  onServed?: (response: ServedResponse) => void;
}

/** A response Prism really sent: what the contract coverage counts. */
export interface ServedResponse {
  method: string;
  /** Path and query, as requested. */
  url: string;
  status: number;
  /** The `content-type` it was sent with (Prism's own errors are `application/problem+json`). */
  contentType: string;
}

export interface PrismLogLine {
  level: string;
  msg: string;
}

export interface PrismServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What Prism logged (request and response violations among it). */
  logs: PrismLogLine[];
  close(): Promise<void>;
}

export const DEFAULT_SEED = 'vmtasks';

interface JsonSchemaFaker {
  option(name: string, value: unknown): void;
}

/**
 * Prism's libraries, loaded on the first start: they take about a second to load, and most test
 * files that import this kit only want its plain HTTP server.
 *
 * Loading them replaces `Error.prepareStackTrace`: Prism's HTTP layer (micri) bundles
 * source-map-support and installs it globally, which throws away vitest's source-map handling, so
 * every later failure in the test file reported a line of the compiled code (line 185 for a
 * failure at line 161). The handler that was there before is put back.
 */
async function loadPrism() {
  const before = Error.prepareStackTrace;
  try {
    const [core, http, server] = await Promise.all([
      import('@stoplight/prism-core'),
      import('@stoplight/prism-http'),
      import('@stoplight/prism-http-server'),
    ]);
    // The generator Prism's dynamic responses come from (a CommonJS singleton shared with prism-http).
    const { JSONSchemaFaker } = createRequire(import.meta.url)('json-schema-faker') as { JSONSchemaFaker: JsonSchemaFaker };
    return {
      createLogger: core.createLogger,
      getHttpOperationsFromSpec: http.getHttpOperationsFromSpec,
      resetJSONSchemaGenerator: http.resetJSONSchemaGenerator,
      createServer: server.createServer,
      JSONSchemaFaker,
    };
  } finally {
    Error.prepareStackTrace = before;
  }
}
let prismLibraries: ReturnType<typeof loadPrism> | undefined;
function prismModules(): ReturnType<typeof loadPrism> {
  prismLibraries ??= loadPrism();
  return prismLibraries;
}

/**
 * Loads Prism's libraries now rather than at the first start: for a measurement of Prism's own
 * start-up (the bench), which is not the second of module loading before it.
 */
export async function preloadPrism(): Promise<void> {
  await prismModules();
}

/**
 * Applies the spec's `x-json-schema-faker` options to the dynamic-response generator, as the
 * Prism CLI does, so `prism mock` and this harness generate the same responses.
 */
async function configureFaker(
  spec: string,
  { JSONSchemaFaker, resetJSONSchemaGenerator }: Awaited<ReturnType<typeof loadPrism>>,
): Promise<void> {
  const document = parseYaml(await readFile(spec, 'utf8')) as { 'x-json-schema-faker'?: Record<string, unknown> } | undefined;
  resetJSONSchemaGenerator();
  for (const [name, value] of Object.entries(document?.['x-json-schema-faker'] ?? {})) {
    JSONSchemaFaker.option(
      name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase()),
      value,
    );
  }
}

/**
 * Starts Prism in this process on 127.0.0.1, with request and response validation on and
 * `errors: true`, the same configuration `prism mock|proxy --errors --seed` builds. Nothing is
 * left running when the process ends, whatever ends it.
 */
export async function startPrism(options: PrismOptions): Promise<PrismServer> {
  const prism = await prismModules();
  const { createLogger, getHttpOperationsFromSpec, createServer } = prism;
  const logs: PrismLogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
          logs.push({ level: String(parsed.level), msg: String(parsed.msg) });
        } catch {
          logs.push({ level: 'raw', msg: line });
        }
      }
      done();
    },
  });
  const logger = createLogger('PRISM', { level: process.env['PRISM_LOG_LEVEL'] ?? 'warn' }, sink);
  const operations = await getHttpOperationsFromSpec(options.spec);
  await configureFaker(options.spec, prism);
  const shared = {
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: true,
    upstreamProxy: undefined,
    mock: { dynamic: false, ignoreExamples: false, seed: options.seed ?? DEFAULT_SEED },
  };
  const config = options.upstream
    ? { ...shared, isProxy: true as const, upstream: new URL(options.upstream) }
    : { ...shared, isProxy: false as const };
  const server = createServer(operations, {
    cors: false,
    config,
    components: { logger: logger.child({ name: 'HTTP SERVER' }) },
  });
  const url = await server.listen(options.port ?? 0, '127.0.0.1');
  const stopWatching = watchResponses(Number(new URL(url).port), options.onServed);
  return {
    url,
    logs,
    close: async () => {
      await server.close();
      stopWatching();
    },
  };
}

interface ResponseFinished {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

const RESPONSE_FINISHED = 'http.server.response.finish';

/**
 * Reports each response the HTTP server on `port` of this process finishes, from Node's own
 * `http.server.response.finish` diagnostics channel: Prism's server is not reachable otherwise,
 * and what went out on the wire is what counts, whoever asked for it.
 */
function watchResponses(port: number, onServed: ((response: ServedResponse) => void) | undefined): () => void {
  if (!onServed) return () => {};
  const listener = (message: unknown): void => {
    const { request, response, server } = message as ResponseFinished;
    if ((server.address() as AddressInfo | null)?.port !== port) return;
    const contentType = response.getHeader('content-type');
    onServed({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      status: response.statusCode,
      contentType: Array.isArray(contentType) ? contentType.join(', ') : String(contentType ?? ''),
    });
  };
  diagnostics.subscribe(RESPONSE_FINISHED, listener);
  return () => diagnostics.unsubscribe(RESPONSE_FINISHED, listener);
}
