import { documentedResponses, type DocumentedResponse } from '@vmtasks/spec-toolchain';
import type { ServedResponse } from './prism.js';

interface OperationMatcher {
  operationId: string;
  method: string;
  pattern: RegExp;
  statuses: Set<string>;
}

/** `/tasks/{taskId}` → a pattern matching `/tasks/t-1` (one path segment per parameter). */
function pathPattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

/**
 * Every operation × documented response of a spec, and how many times Prism really served each:
 * counted from the responses that went out (`record`, fed by the contract target from Node's HTTP
 * server events), never from what a test says it did. A response added to the spec and never
 * served shows up in `missing()`.
 */
export class ContractCoverage {
  readonly #served = new Map<string, number>();
  readonly #operations: OperationMatcher[];

  private constructor(
    readonly spec: string,
    responses: readonly DocumentedResponse[],
  ) {
    this.expected = responses.map((response) => `${response.operationId} ${response.status}`);
    for (const key of this.expected) this.#served.set(key, 0);
    const byOperation = new Map<string, OperationMatcher>();
    for (const response of responses) {
      const matcher = byOperation.get(response.operationId) ?? {
        operationId: response.operationId,
        method: response.method.toUpperCase(),
        pattern: pathPattern(response.path),
        statuses: new Set<string>(),
      };
      matcher.statuses.add(response.status);
      byOperation.set(response.operationId, matcher);
    }
    this.#operations = [...byOperation.values()];
  }

  readonly expected: readonly string[];

  static async fromSpec(spec: string): Promise<ContractCoverage> {
    return ContractCoverage.fromResponses(spec, await documentedResponses(spec));
  }

  static fromResponses(spec: string, responses: readonly DocumentedResponse[]): ContractCoverage {
    return new ContractCoverage(spec, responses);
  }

  /**
   * Counts a response Prism sent against the operation its method and path belong to: under its
   * status when documented, else under `default`. Prism's own answers (problem+json: a broken
   * contract, a refused request) and responses to no documented operation count for nothing.
   */
  record(served: ServedResponse): void {
    if (/^application\/problem\+json\b/i.test(served.contentType)) return;
    const path = new URL(served.url, 'http://prism').pathname;
    const operation = this.#operations.find(
      (candidate) => candidate.method === served.method.toUpperCase() && candidate.pattern.test(path),
    );
    if (!operation) return;
    const status = operation.statuses.has(String(served.status))
      ? String(served.status)
      : operation.statuses.has('default')
        ? 'default'
        : undefined;
    if (status === undefined) return;
    const key = `${operation.operationId} ${status}`;
    this.#served.set(key, (this.#served.get(key) ?? 0) + 1);
  }

  missing(): string[] {
    return this.expected.filter((key) => this.#served.get(key) === 0);
  }

  table(): string {
    const rows = this.expected.map((key) => {
      const [operation, status] = key.split(' ');
      const count = this.#served.get(key) ?? 0;
      return `  ${operation?.padEnd(16)} ${status?.padEnd(8)} ${count > 0 ? `${count} served` : 'NOT SERVED'}`;
    });
    return [`contract coverage of ${this.spec} (responses Prism sent):`, ...rows].join('\n');
  }
}
