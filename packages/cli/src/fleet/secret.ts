import { execFileSync } from 'node:child_process';
import type { ApplianceEntry } from '../apis/index.js';
import { UsageError } from '../exit-codes.js';
import type { IOStreams } from '../io.js';

/** How long a secret command (`pass show …`) may take before it counts as failed. */
const SECRET_COMMAND_TIMEOUT_MS = 30_000;

/**
 * An appliance's secret: an environment variable, or what a command prints (argv, no shell; one
 * trailing newline dropped). A command that fails is said by its exit status only — never its
 * output, which may hold the secret. `where` is the appliance's `file:line:col`.
 */
export function readSecret(entry: Pick<ApplianceEntry, 'name' | 'secret'>, env: IOStreams['env'], where: string): string {
  const { secret } = entry;
  if ('env' in secret) {
    const value = env[secret.env];
    if (!value) throw new UsageError(`${where} ${entry.name}: its secret's environment variable ${secret.env} is not set`);
    return value;
  }
  const [program, ...args] = secret.command;
  let output: string;
  try {
    output = execFileSync(program!, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: SECRET_COMMAND_TIMEOUT_MS,
      env: env as NodeJS.ProcessEnv,
      windowsHide: true,
    });
  } catch (error) {
    const { status, code, signal } = error as { status?: number | null; code?: string; signal?: string | null };
    const how = code && typeof code === 'string' ? code : signal ? `killed by ${signal}` : `exit status ${status ?? 'unknown'}`;
    throw new UsageError(`${where} ${entry.name}: its secret command ${JSON.stringify(program)} failed (${how})`);
  }
  const value = output.replace(/\r?\n$/, '');
  if (!value) throw new UsageError(`${where} ${entry.name}: its secret command ${JSON.stringify(program)} printed nothing`);
  return value;
}
