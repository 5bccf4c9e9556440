import { documentedResponses, loadRegistry, loadSpecSchemas, type SpecSchemas } from '@vmtasks/spec-toolchain';
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
  /** The named examples of a documented response. */
  examples(operationId: string, status: string): Record<string, unknown>;
  close(): Promise<void>;
  /**
   * Stops Prism, prints the coverage table, and returns the documented responses Prism never
   * served. Only in mock mode can every one be reached; against a real server it returns [].
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
  const responses = await documentedResponses(spec);
  const coverage = ContractCoverage.fromResponses(spec, responses);
  const prism = await startPrism({ spec, upstream, onServed: (served) => coverage.record(served) });
  const mode = upstream ? 'proxy' : 'mock';
  return {
    url: prism.url,
    mode,
    spec,
    prism,
    coverage,
    schemas: await loadSpecSchemas(spec),
    examples(operationId, status) {
      const response = responses.find((r) => r.operationId === operationId && r.status === status);
      if (!response) throw new Error(`${spec} documents no ${operationId} ${status}`);
      return response.examples;
    },
    close: () => prism.close(),
    async finish() {
      await prism.close();
      console.log(coverage.table());
      return mode === 'mock' ? coverage.missing() : [];
    },
  };
}

/** Prism's account of a contract break, from the 500 problem+json body it sends with `errors: true`. */
export function violationsIn(body: unknown): string[] {
  const validation = (body as { validation?: { location?: string[]; message?: string }[] } | undefined)?.validation;
  return (validation ?? []).map((v) => `${(v.location ?? []).join('.')}: ${v.message ?? ''}`);
}

/** Call options that ask the Prism mock for a particular response: `code=401`, `example=failedTask`, `dynamic=true`. */
export function prefer(value: string): { headers: { Prefer: string } } {
  return { headers: { Prefer: value } };
}
