// The simulator's URLs and credentials as shell `export` lines, for `npm run simulate` and `vmtasks simulate`.
import type { Simulator } from './types.js';

/** A value the shell reads back unchanged (single quotes; a quote inside is closed, escaped, reopened). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Two `export` lines (one per appliance) with the names the contract tests and the CLI read, each ending in `\n`. */
export function exportLines(sim: Pick<Simulator, 'env'>): string {
  const env = sim.env();
  const line = (names: string[]): string => `export ${names.map((name) => `${name}=${shellQuote(env[name] ?? '')}`).join(' ')}\n`;
  return line(['VELOSTRATA_URL', 'VELOSTRATA_USERNAME', 'VELOSTRATA_PASSWORD']) + line(['SNAPSERVICE_URL', 'SNAPSERVICE_SESSION_ID']);
}
