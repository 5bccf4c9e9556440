import { readFile } from 'node:fs/promises';
import { parseYaml } from '@redocly/openapi-core';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every operation × documented response of a spec, and which of them a contract suite has
 * exercised. A response added to the spec without a test shows up in `missing()`.
 */
export class ContractCoverage {
  readonly #hits = new Map<string, number>();

  private constructor(
    readonly spec: string,
    readonly expected: readonly string[],
  ) {
    for (const key of expected) this.#hits.set(key, 0);
  }

  static async fromSpec(spec: string): Promise<ContractCoverage> {
    const document: unknown = parseYaml(await readFile(spec, 'utf8'));
    const paths = isRecord(document) ? document['paths'] : undefined;
    const expected: string[] = [];
    for (const item of Object.values(isRecord(paths) ? paths : {})) {
      if (!isRecord(item)) continue;
      for (const method of METHODS) {
        const operation = item[method];
        if (!isRecord(operation)) continue;
        const id = String(operation['operationId']);
        const responses = isRecord(operation['responses']) ? operation['responses'] : {};
        for (const status of Object.keys(responses)) expected.push(`${id} ${status}`);
      }
    }
    return new ContractCoverage(spec, expected);
  }

  /** Records that a test exercised `operationId` × `status` (a status code, or `default`). */
  hit(operationId: string, status: number | 'default'): void {
    const key = `${operationId} ${status}`;
    const count = this.#hits.get(key);
    if (count === undefined) throw new Error(`${key} is not documented in ${this.spec}`);
    this.#hits.set(key, count + 1);
  }

  missing(): string[] {
    return this.expected.filter((key) => this.#hits.get(key) === 0);
  }

  table(): string {
    const rows = this.expected.map((key) => {
      const [operation, status] = key.split(' ');
      const count = this.#hits.get(key) ?? 0;
      return `  ${operation?.padEnd(16)} ${status?.padEnd(8)} ${count > 0 ? `${count} test(s)` : 'NOT TESTED'}`;
    });
    return [`contract coverage of ${this.spec}:`, ...rows].join('\n');
  }
}
