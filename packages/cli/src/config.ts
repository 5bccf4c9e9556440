import { readFileSync } from 'node:fs';
import { parameterRules } from '@vmtasks/snapservice';
import type { ApiName } from './board.js';
import { UsageError } from './exit-codes.js';
import type { IOStreams } from './io.js';

export type ApiChoice = ApiName | 'all';
export const API_CHOICES: readonly ApiChoice[] = ['all', 'velostrata', 'snapservice'];

/** Connection flags every command takes (secrets only from the environment: flags show up in `ps` and shell history). */
export interface ConnectionFlags {
  api: ApiChoice;
  velostrataUrl?: string;
  velostrataUser?: string;
  velostrataCa?: string;
  snapserviceUrl?: string;
  snapserviceCa?: string;
  insecure?: boolean;
}

/** snapservice's `Tasks.FilterSpec`, from repeatable flags. */
export interface FilterFlags {
  task: string[];
  service: string[];
  status: string[];
  operation: string[];
  user: string[];
}

export interface TlsConfig {
  ca?: string;
  rejectUnauthorized?: false;
}

export interface VelostrataConfig {
  url: string;
  username: string;
  password: string;
  tls?: TlsConfig;
}

export interface SnapserviceFilter {
  tasks?: string[];
  services?: string[];
  status?: string[];
  operations?: string[];
  users?: string[];
}

export interface SnapserviceConfig {
  url: string;
  /** SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD: the client logs in, again when the session expires, and out on close. */
  login?: { username: string; password: string };
  sessionId?: string;
  authorization?: string;
  tls?: TlsConfig;
  /** Present when the command lists tasks (`tasks`, `watch`); `wait` names its own. */
  filter?: SnapserviceFilter;
  /** `wait` only: the services (SNAPSERVICE_SERVICES) among whose tasks a shortened task id is looked for. */
  services?: string[];
}

export interface Connections {
  velostrata?: VelostrataConfig;
  snapservice?: SnapserviceConfig;
  /** Why an API was left out, or what to be careful about; printed to stderr. */
  notes: string[];
  /** Every secret in play, for redacting anything the CLI prints. */
  secrets: string[];
}

const SERVICES_ENV = 'SNAPSERVICE_SERVICES';
/** The filter fields of which snapservice needs at least one (the spec's `x-vmtasks-require-any-of`), and their flags. */
const REQUIRED_FIELDS = parameterRules.listTasks.requireAnyOf;
const FLAG_OF_FIELD: Record<(typeof REQUIRED_FIELDS)[number], string> = { tasks: '--task ID', services: '--service NAME' };
const SNAPSERVICE_FILTER_HINT = `pass ${REQUIRED_FIELDS.map((field) => FLAG_OF_FIELD[field]).join(' or ')} (each repeatable), or set ${SERVICES_ENV}=NAME[,NAME…]`;

function readCa(path: string | undefined, source: string): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the CA file given by ${source} (${path}): ${code}`);
  }
}

function tlsFor(
  flags: ConnectionFlags,
  caFlag: string | undefined,
  caEnv: string,
  env: IOStreams['env'],
  flagName: string,
): TlsConfig | undefined {
  const ca = readCa(caFlag ?? env[caEnv], caFlag ? flagName : caEnv);
  if (!ca && !flags.insecure) return undefined;
  return { ...(ca ? { ca } : {}), ...(flags.insecure ? { rejectUnauthorized: false as const } : {}) };
}

const list = (values: readonly string[]): string[] | undefined => (values.length > 0 ? [...values] : undefined);

/**
 * Works out which APIs to talk to, from flags first and then the environment. An API asked
 * for by name must be fully configured (else exit 2 saying what is missing); with `--api all`
 * an unconfigured one is skipped with a note, but at least one must remain.
 */
export function resolveConnections(flags: ConnectionFlags, env: IOStreams['env'], filters: FilterFlags | undefined): Connections {
  const notes: string[] = [];
  const secrets: string[] = [];
  const wanted = (api: ApiName): boolean => flags.api === 'all' || flags.api === api;
  const problem = (api: ApiName, message: string): void => {
    if (flags.api === api) throw new UsageError(message);
    notes.push(`${api} skipped: ${message}`);
  };
  const connections: Connections = { notes, secrets };

  const snapserviceOnly =
    filters && (filters.task.length || filters.service.length || filters.status.length || filters.operation.length || filters.user.length);
  if (flags.api === 'velostrata' && snapserviceOnly) {
    throw new UsageError(
      '--task, --service, --status, --operation and --user filter snapservice tasks; they do not apply to --api velostrata',
    );
  }

  if (wanted('velostrata')) {
    const url = flags.velostrataUrl ?? env['VELOSTRATA_URL'];
    const password = env['VELOSTRATA_PASSWORD'];
    if (!url)
      problem(
        'velostrata',
        'no URL: set VELOSTRATA_URL (or --velostrata-url) to the versioned API root, e.g. https://mgr.example.com/velostrata/api/v42',
      );
    else if (!password) problem('velostrata', 'no credentials: set VELOSTRATA_PASSWORD to the subscription ID of the Velostrata Manager');
    else {
      secrets.push(password);
      const tls = tlsFor(flags, flags.velostrataCa, 'VELOSTRATA_CA_FILE', env, '--velostrata-ca');
      connections.velostrata = {
        url,
        username: flags.velostrataUser ?? env['VELOSTRATA_USERNAME'] ?? 'apiuser',
        password,
        ...(tls ? { tls } : {}),
      };
    }
  }

  if (wanted('snapservice')) {
    const url = flags.snapserviceUrl ?? env['SNAPSERVICE_URL'];
    const username = env['SNAPSERVICE_USERNAME'] || undefined;
    const password = env['SNAPSERVICE_PASSWORD'] || undefined;
    const login = username && password ? { username, password } : undefined;
    // A login renews itself; a fixed session id or header is used only without one.
    const sessionId = login ? undefined : env['SNAPSERVICE_SESSION_ID'] || undefined;
    const authorization = login ? undefined : env['SNAPSERVICE_AUTHORIZATION'] || undefined;
    const envServices = (env[SERVICES_ENV] ?? '').split(/[\s,]+/).filter(Boolean);
    const filter: SnapserviceFilter | undefined = filters && {
      tasks: list(filters.task),
      services: list(filters.service.length ? filters.service : envServices),
      status: list(filters.status),
      operations: list(filters.operation),
      users: list(filters.user),
    };
    if (!url) problem('snapservice', 'no URL: set SNAPSERVICE_URL (or --snapservice-url) to the appliance, e.g. https://snap.example.com');
    else if (Boolean(username) !== Boolean(password))
      problem('snapservice', `no ${username ? 'password' : 'user name'}: set both SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD to log in`);
    else if (!login && !sessionId && !authorization)
      problem(
        'snapservice',
        'no credentials: set SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD (or SNAPSERVICE_SESSION_ID, or SNAPSERVICE_AUTHORIZATION)',
      );
    else if (filter && !REQUIRED_FIELDS.some((field) => filter[field])) {
      problem('snapservice', `it lists tasks only of given tasks or services: ${SNAPSERVICE_FILTER_HINT}`);
    } else {
      secrets.push(...[login?.password, sessionId, authorization].filter((s): s is string => Boolean(s)));
      const tls = tlsFor(flags, flags.snapserviceCa, 'SNAPSERVICE_CA_FILE', env, '--snapservice-ca');
      connections.snapservice = {
        url,
        ...(login ? { login } : {}),
        ...(sessionId ? { sessionId } : {}),
        ...(authorization ? { authorization } : {}),
        ...(tls ? { tls } : {}),
        ...(filter ? { filter: Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) } : {}),
        ...(!filter && envServices.length > 0 ? { services: envServices } : {}),
      };
    }
  }

  if (!connections.velostrata && !connections.snapservice) {
    throw new UsageError(
      [
        'nothing to talk to:',
        ...notes.map((note) => `  ${note}`),
        'For a demo without an appliance, run `vmtasks simulate` and paste the export lines it prints.',
      ].join('\n'),
    );
  }
  if (flags.insecure)
    notes.push('--insecure: TLS certificates are NOT verified; use --velostrata-ca/--snapservice-ca instead where you can');
  return connections;
}
