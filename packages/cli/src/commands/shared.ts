import { resolveConnections, type Connections, type FilterFlags } from '../config.js';
import { note, type Context } from '../context.js';
import { credentialRedactor, envCredentials } from '../credentials.js';
import { UsageError } from '../exit-codes.js';
import type { CommonFlags } from '../options.js';
import { ServerText } from '../server-text.js';
import { applianceLabel, connect, type TaskApi } from '../sources.js';
import { untrusted } from '../untrusted.js';

/**
 * Resolves the configuration, prints its notes, and opens the APIs; `use` gets them and they are
 * closed after. What they return is redacted and, unless it is printed as JSON, made visible.
 */
export async function withApis<T>(
  context: Context,
  flags: CommonFlags & { json?: boolean },
  filters: FilterFlags | undefined,
  use: (apis: TaskApi[], connections: Connections) => Promise<T>,
): Promise<T> {
  const connections = resolveConnections(flags, context.io.env, filters);
  // The environment's secrets and the configuration's: the user name may come from a flag.
  const redactor = credentialRedactor([...envCredentials(context.io.env), ...connections.apis.map((api) => api.credentials)]);
  context.secrets.use(redactor);
  for (const text of connections.notes) note(context, text);
  let apis: TaskApi[];
  try {
    // Everything from the appliances goes through one gate on its way in (untrusted.ts).
    const server = new ServerText(redactor, { forPeople: !flags.json });
    apis = connect(connections).map((api) => untrusted(api, server));
  } catch (error) {
    // The clients check their options when made (a URL that is not one, …): a configuration error.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (flags.verbose) {
    for (const api of apis) note(context, `using ${applianceLabel(api)} at ${api.origin}`);
    for (const text of connections.apis.flatMap((api) => api.details)) note(context, text);
  }
  try {
    return await use(apis, connections);
  } finally {
    await Promise.allSettled(apis.map((api) => api.close()));
  }
}

/** The live view's first line, longest first: `Watching velostrata (mgr:443) and snapservice (snap:443) · Ctrl-C to stop`, … */
export function titles(what: string, apis: readonly TaskApi[]): [string, ...string[]] {
  const full = apis.map((api) => `${api.appliance} (${api.origin})`).join(' and ');
  const short = apis.map((api) => api.appliance).join(' and ');
  return [`${what} on ${full} · Ctrl-C to stop`, `${what} on ${short} · Ctrl-C to stop`, `${what} on ${short}`];
}
