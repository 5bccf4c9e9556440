import { readFile } from 'node:fs/promises';
import { parseYaml } from '@redocly/openapi-core';
import { loadRegistry, loadSpecSchemas, type SpecSchemas } from '@vmtasks/spec-toolchain';
import { ContractCoverage } from './coverage.js';
import { startPrism, type PrismServer } from './prism.js';

export interface ContractTarget {
  /** Where the client under test sends its requests: always Prism. */
  url: string;
  /** `mock`: Prism answers from the spec. `proxy`: Prism forwards to a real server and validates its answers. */
  mode: 'mock' | 'proxy';
  spec: string;
  prism: PrismServer;
  coverage: ContractCoverage;
  /** The spec's component schemas, to validate decoded results independently of Prism. */
  schemas: SpecSchemas;
  /** The named examples of a response of the spec, by status. */
  examples(operationId: string, status: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
  /**
   * Stops Prism, prints the coverage table, and returns the documented responses no test
   * reached. Only in mock mode can every one be reached; against a real server it returns [].
   */
  finish(): Promise<string[]>;
}

/** The spec of an API, from redocly.yaml (the one list of APIs). */
export async function specOf(api: string): Promise<string> {
  const registry = await loadRegistry();
  const entry = registry.apis.find((candidate) => candidate.name === api);
  if (!entry) throw new Error(`redocly.yaml lists no API "${api}"`);
  return entry.root;
}

/**
 * Prism in front of `upstream` (proxy mode, validating every real response), or Prism mocking
 * the spec when there is no upstream. Both run with request and response validation and
 * `errors: true`, so a contract break is an error, not a log line.
 */
export async function startContractTarget(api: string, upstream?: string): Promise<ContractTarget> {
  const spec = await specOf(api);
  const document = parseYaml(await readFile(spec, 'utf8')) as SpecDocument;
  const prism = await startPrism({ spec, upstream });
  const coverage = await ContractCoverage.fromSpec(spec);
  const mode = upstream ? 'proxy' : 'mock';
  return {
    url: prism.url,
    mode,
    spec,
    prism,
    coverage,
    schemas: await loadSpecSchemas(spec),
    examples: async (operationId, status) => examplesOf(document, operationId, status),
    close: () => prism.close(),
    async finish() {
      await prism.close();
      console.log(coverage.table());
      return mode === 'mock' ? coverage.missing() : [];
    },
  };
}

interface MediaType {
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface SpecDocument {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, ResponseObject> }>>;
  components?: { responses?: Record<string, ResponseObject> };
}

function examplesOf(document: SpecDocument, operationId: string, status: string): Record<string, unknown> {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (operation.operationId !== operationId) continue;
      let response = operation.responses?.[status];
      if (response?.$ref) response = document.components?.responses?.[response.$ref.split('/').pop() ?? ''];
      const media = response?.content?.['application/json'];
      if (!media) return {};
      if (media.examples) return Object.fromEntries(Object.entries(media.examples).map(([name, example]) => [name, example.value]));
      return media.example === undefined ? {} : { example: media.example };
    }
  }
  throw new Error(`no operation ${operationId}`);
}

/** Prism's account of a contract break, from the 500 problem+json body it sends with `errors: true`. */
export function violationsIn(body: unknown): string[] {
  const validation = (body as { validation?: { location?: string[]; message?: string }[] } | undefined)?.validation;
  return (validation ?? []).map((v) => `${(v.location ?? []).join('.')}: ${v.message ?? ''}`);
}
