import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { parseYaml } from '@redocly/openapi-core';
import { createLogger } from '@stoplight/prism-core';
import { getHttpOperationsFromSpec, resetJSONSchemaGenerator } from '@stoplight/prism-http';
import { createServer } from '@stoplight/prism-http-server';

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
// The generator Prism's dynamic responses come from (a CommonJS singleton shared with prism-http).
const { JSONSchemaFaker } = createRequire(import.meta.url)('json-schema-faker') as { JSONSchemaFaker: JsonSchemaFaker };

/**
 * Applies the spec's `x-json-schema-faker` options to the dynamic-response generator, as the
 * Prism CLI does, so `prism mock` and this harness generate the same responses.
 */
async function configureFaker(spec: string): Promise<void> {
  const document = parseYaml(await readFile(spec, 'utf8')) as { 'x-json-schema-faker'?: Record<string, unknown> } | undefined;
  resetJSONSchemaGenerator();
  for (const [name, value] of Object.entries(document?.['x-json-schema-faker'] ?? {})) {
    JSONSchemaFaker.option(name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase()), value);
  }
}

/**
 * Starts Prism in this process on 127.0.0.1, with request and response validation on and
 * `errors: true`, the same configuration `prism mock|proxy --errors --seed` builds. Nothing is
 * left running when the process ends, whatever ends it.
 */
export async function startPrism(options: PrismOptions): Promise<PrismServer> {
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
  await configureFaker(options.spec);
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
  return { url, logs, close: () => server.close() };
}
