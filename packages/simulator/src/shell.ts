// The simulator's URLs and credentials as shell `export` lines, for `npm run simulate` and `vmtasks simulate`.
import { SNAPSERVICE_SERVICES } from './defaults.js';
import type { Simulator } from './types.js';

/** A value the shell reads back unchanged (single quotes; a quote inside is closed, escaped, reopened). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Two `export` lines (one per appliance) with the names the contract tests and the CLI read, each
 * ending in `\n`; `npm run simulate` and `vmtasks simulate` both print exactly these. The
 * snapservice line names the built-in tasks' services too (`SNAPSERVICE_SERVICES`): snapservice
 * lists tasks only of named services, so without it `vmtasks watch` would skip snapservice. It
 * carries both the login (`vmtasks` logs in with it, and again when the session expires) and the
 * fixed session id (for tools that take only a session id).
 */
export function exportLines(sim: Pick<Simulator, 'env'>): string {
  const env: Record<string, string> = { ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') };
  const line = (names: string[]): string => `export ${names.map((name) => `${name}=${shellQuote(env[name] ?? '')}`).join(' ')}\n`;
  return (
    line(['VELOSTRATA_URL', 'VELOSTRATA_USERNAME', 'VELOSTRATA_PASSWORD']) +
    line(['SNAPSERVICE_URL', 'SNAPSERVICE_USERNAME', 'SNAPSERVICE_PASSWORD', 'SNAPSERVICE_SESSION_ID', 'SNAPSERVICE_SERVICES'])
  );
}
