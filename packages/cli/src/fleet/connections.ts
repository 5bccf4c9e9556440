import path from 'node:path';
import { apiNamed, type ConnectionFlags, type Connections, type FilterFlags, type ResolvedApi } from '../apis/index.js';
import { readCa, tlsOf } from '../apis/adapter.js';
import { UsageError } from '../exit-codes.js';
import type { IOStreams } from '../io.js';
import type { FleetContext } from './config-file.js';
import { readSecret } from './secret.js';

/**
 * The appliances of a fleet config's context (those of `--api`'s API, unless `all`), each
 * with its secret read and its CA file loaded. An appliance its API cannot use as configured
 * (snapservice without services or tasks to list) is skipped with a note; none left is exit 2.
 */
export function fleetConnections(
  fleet: FleetContext,
  flags: ConnectionFlags,
  env: IOStreams['env'],
  filters: FilterFlags | undefined,
): Connections {
  const notes: string[] = [];
  const apis: ResolvedApi[] = [];
  fleet.appliances.forEach((entry, i) => {
    if (flags.api !== 'all' && flags.api !== entry.api) return;
    // Checked against the table when the file was read.
    const definition = apiNamed(entry.api)!;
    const secret = readSecret(entry, env, fleet.where(i, 'secret'));
    const ca = entry.caFile ? readCa(path.resolve(fleet.dir, entry.caFile), `${fleet.where(i, 'caFile')} caFile`) : undefined;
    const insecure = entry.insecure === true || flags.insecure === true;
    const resolution = definition.fromAppliance(entry, secret, tlsOf(ca, insecure), filters);
    if ('problem' in resolution) notes.push(`${entry.name} skipped: ${resolution.problem}`);
    else apis.push(resolution);
    if (insecure && !('problem' in resolution))
      notes.push(`${entry.name}: TLS certificates are NOT verified (insecure); give it a caFile instead where you can`);
  });
  if (apis.length === 0) {
    const which = flags.api === 'all' ? '' : ` of API ${flags.api}`;
    throw new UsageError(
      [`nothing to talk to in context ${fleet.name}${which} (${fleet.file})`, ...notes.map((note) => `  ${note}`)].join('\n'),
    );
  }
  return { apis, notes };
}
