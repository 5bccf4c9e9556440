import { documentedResponses, type DocumentedResponse } from '@vmtasks/spec-toolchain';

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
    return ContractCoverage.fromResponses(spec, await documentedResponses(spec));
  }

  static fromResponses(spec: string, responses: readonly DocumentedResponse[]): ContractCoverage {
    return new ContractCoverage(
      spec,
      responses.map((response) => `${response.operationId} ${response.status}`),
    );
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
