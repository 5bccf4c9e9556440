import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './exit-codes.js';
import { readFleetConfig } from './fleet/config-file.js';
import { fleetConnections } from './fleet/connections.js';
import type { IOStreams } from './io.js';
import { apiNamed, TASK_APIS, type ConnectionFlags, type Connections, type FilterFlags, type ResolvedApi } from './apis/index.js';

export type { ConnectionFlags, Connections, FilterFlags } from './apis/index.js';

/** `--api`'s choices: every API of the table, or all of them. */
export const API_CHOICES: readonly string[] = ['all', ...TASK_APIS.map((api) => api.name)];

const FILTER_FLAGS = '--task, --service, --status, --operation and --user';

const hasFilters = (filters: FilterFlags | undefined): boolean =>
  Boolean(
    filters && (filters.task.length || filters.service.length || filters.status.length || filters.operation.length || filters.user.length),
  );

/** Filters given to an `--api` that takes none are a usage error. */
export function checkFilterFlags(flags: ConnectionFlags, filters: FilterFlags | undefined): void {
  const chosen = apiNamed(flags.api);
  if (chosen && !chosen.filters && hasFilters(filters)) {
    const takers = TASK_APIS.filter((api) => api.filters).map((api) => api.name);
    throw new UsageError(`${FILTER_FLAGS} filter ${takers.join(' and ')} tasks; they do not apply to --api ${chosen.name}`);
  }
}

/** Where the fleet config is looked for without `--config` or `VMTASKS_CONFIG`: `$XDG_CONFIG_HOME/vmtasks/config.yaml` (XDG's default `~/.config`). */
export function defaultConfigFile(env: IOStreams['env']): string {
  const base = env['XDG_CONFIG_HOME'] || path.join(env['HOME'] || homedir(), '.config');
  return path.join(base, 'vmtasks', 'config.yaml');
}

/**
 * Works out which appliances to talk to. A fleet config named by `--config`, `VMTASKS_CONFIG`
 * or `--context` is used; else the environment's single pair (flags winning), as always; else,
 * when the environment configures nothing, the default config file if it exists.
 */
export function resolveConnections(flags: ConnectionFlags, env: IOStreams['env'], filters: FilterFlags | undefined): Connections {
  checkFilterFlags(flags, filters);
  const configFile = (typeof flags['config'] === 'string' ? flags['config'] : undefined) ?? (env['VMTASKS_CONFIG'] || undefined);
  const context = typeof flags['context'] === 'string' ? flags['context'] : undefined;
  if (configFile !== undefined || context !== undefined)
    return fleetConnections(readFleetConfig(configFile ?? defaultConfigFile(env), context), flags, env, filters);
  try {
    return environmentConnections(flags, env, filters);
  } catch (error) {
    const fallback = defaultConfigFile(env);
    if (!(error instanceof UsageError) || !existsSync(fallback)) throw error;
    return fleetConnections(readFleetConfig(fallback, undefined), flags, env, filters);
  }
}

/**
 * The environment's single pair, flags first. An API asked for by name must be fully configured
 * (else exit 2 saying what is missing); with `--api all` an unconfigured one is skipped with a
 * note, but at least one must remain.
 */
function environmentConnections(flags: ConnectionFlags, env: IOStreams['env'], filters: FilterFlags | undefined): Connections {
  const notes: string[] = [];
  const apis: ResolvedApi[] = [];
  for (const definition of TASK_APIS) {
    if (flags.api !== 'all' && flags.api !== definition.name) continue;
    const resolution = definition.fromEnvironment(flags, env, filters);
    if ('problem' in resolution) {
      if (flags.api === definition.name) throw new UsageError(resolution.problem);
      notes.push(`${definition.name} skipped: ${resolution.problem}`);
    } else apis.push(resolution);
  }
  if (apis.length === 0) {
    throw new UsageError(
      [
        'nothing to talk to:',
        ...notes.map((note) => `  ${note}`),
        'For a demo without an appliance, run `vmtasks simulate` and paste the export lines it prints.',
      ].join('\n'),
    );
  }
  if (flags.insecure) {
    notes.push(`--insecure: TLS certificates are NOT verified; use ${TASK_APIS.map((api) => api.ca.flag).join('/')} instead where you can`);
  }
  return { apis, notes };
}
