// The snapservice API in the command line: its variables, flags and filters, how to connect, what to check when it refuses.
import { Option } from 'commander';
import { basicAuthForms } from '@vmtasks/core';
import {
  createSnapserviceClient,
  parameterRules,
  SnapserviceError,
  taskStatusValues,
  toSnapshot,
  type TaskFilter,
} from '@vmtasks/snapservice';
import { flagText, matching, tlsFrom, unlessNotFound } from './adapter.js';
import type { ApplianceEntry, FilterFlags, ResolvedApi, TaskApi, TaskApiDefinition, TlsConfig } from './task-api.js';

export interface SnapserviceFilter {
  tasks?: string[];
  services?: string[];
  status?: string[];
  operations?: string[];
  users?: string[];
}

export interface SnapserviceConfig {
  url: string;
  /** A user name and password: the client logs in, again when the session expires, and out on close. */
  login?: { username: string; password: string };
  sessionId?: string;
  authorization?: string;
  tls?: TlsConfig;
  /** Present when the command lists tasks (`tasks`, `watch`); `wait` names its own. */
  filter?: SnapserviceFilter;
  /** `wait` only: the services among whose tasks a shortened task id is looked for. */
  services?: string[];
}

const SERVICES_ENV = 'SNAPSERVICE_SERVICES';
/** The filter fields of which snapservice needs at least one (the spec's `x-vmtasks-require-any-of`), and their flags. */
const REQUIRED_FIELDS = parameterRules.listTasks.requireAnyOf;
const FLAG_OF_FIELD: Record<(typeof REQUIRED_FIELDS)[number], string> = { tasks: '--task ID', services: '--service NAME' };
const FILTER_HINT = `pass ${REQUIRED_FIELDS.map((field) => FLAG_OF_FIELD[field]).join(' or ')} (each repeatable), or set ${SERVICES_ENV}=NAME[,NAME…]`;

const list = (values: readonly string[] | undefined): string[] | undefined => (values && values.length > 0 ? [...values] : undefined);

function connect(config: SnapserviceConfig, appliance: string): TaskApi {
  const client = createSnapserviceClient({
    baseUrl: config.url,
    ...(config.login ? config.login : {}),
    ...(config.sessionId ? { sessionId: config.sessionId } : {}),
    ...(config.authorization ? { authorization: config.authorization } : {}),
    ...(config.tls ? { tls: config.tls } : {}),
  });
  // Statuses were checked against the spec's values when the flags (or the config file) were read.
  const filter = (config.filter ?? {}) as TaskFilter;
  return {
    name: 'snapservice',
    appliance,
    origin: new URL(config.url).host,
    list: async (signal) => (await client.listTasks(filter, { signal })).items.map(toSnapshot),
    watch: (options) => client.watchTasks(filter, options),
    wait: async (taskId, options) => {
      await client.waitForTask(taskId, options);
    },
    find: async (idOrPrefix, signal) => {
      // snapservice lists only named tasks or services: a whole id is asked for by name, a
      // shortened one is looked for among the tasks of the services configured.
      if ((await client.listTasks({ tasks: [idOrPrefix] }, { signal })).items.length > 0) return [idOrPrefix];
      const [service, ...more] = config.services ?? [];
      if (service === undefined) return [];
      const listed = await client.listTasks({ services: [service, ...more] }, { signal });
      return matching(
        idOrPrefix,
        listed.items.map((item) => toSnapshot(item).id),
      );
    },
    prefixHint: config.services
      ? undefined
      : `a shortened snapservice id is looked for among the tasks of ${SERVICES_ENV}, which is not set`,
    get: async (taskId, signal) => {
      const info = await unlessNotFound(client.getTask(taskId, { signal }));
      return info && { snapshot: toSnapshot({ task: taskId, info }), raw: info };
    },
    cancel: undefined,
    history: undefined,
    close: () => client.close(),
  };
}

function resolved(config: SnapserviceConfig, appliance: string): ResolvedApi {
  return {
    api: 'snapservice',
    appliance,
    config,
    credentials: credentialsOf(config),
    details: config.filter ? [`snapservice filter: ${JSON.stringify(config.filter)}`] : [],
    connect: () => connect(config, appliance),
  };
}

function credentialsOf(config: Pick<SnapserviceConfig, 'login' | 'sessionId' | 'authorization'>): ResolvedApi['credentials'] {
  const headers: [string, string][] = [];
  if (config.sessionId) headers.push(['vmware-api-session-id', config.sessionId]);
  if (config.authorization) headers.push(['authorization', config.authorization]);
  return {
    values: [...(config.login ? basicAuthForms(config.login.username, config.login.password) : []), config.sessionId, config.authorization],
    headers,
  };
}

/** The filter from the flags, each field falling back to `defaults` (SNAPSERVICE_SERVICES, an appliance's own fields). */
function filterOf(filters: FilterFlags, defaults: SnapserviceFilter): SnapserviceFilter {
  const filter: SnapserviceFilter = {
    tasks: list(filters.task) ?? defaults.tasks,
    services: list(filters.service) ?? defaults.services,
    status: list(filters.status) ?? defaults.status,
    operations: list(filters.operation) ?? defaults.operations,
    users: list(filters.user) ?? defaults.users,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}

const missingFilter = (filter: SnapserviceFilter | undefined): boolean =>
  filter !== undefined && !REQUIRED_FIELDS.some((field) => filter[field]);

export const snapservice = {
  name: 'snapservice' as const,
  help: [
    'SNAPSERVICE_URL, SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD (logs in, again when the session',
    'expires, and out on exit) or SNAPSERVICE_SESSION_ID or SNAPSERVICE_AUTHORIZATION, SNAPSERVICE_CA_FILE,',
    `${SERVICES_ENV} (default --service list, comma-separated)`,
  ],
  options: () => [
    new Option('--snapservice-url <url>', 'snapservice appliance (env SNAPSERVICE_URL)'),
    new Option('--snapservice-ca <file>', 'PEM CA to trust for snapservice (env SNAPSERVICE_CA_FILE)'),
  ],
  ca: { flag: '--snapservice-ca', env: 'SNAPSERVICE_CA_FILE' },
  filters: true,
  fromEnvironment(flags, env, filters) {
    const url = flagText(flags, 'snapserviceUrl') ?? env['SNAPSERVICE_URL'];
    const username = env['SNAPSERVICE_USERNAME'] || undefined;
    const password = env['SNAPSERVICE_PASSWORD'] || undefined;
    const login = username && password ? { username, password } : undefined;
    // A login renews itself; a fixed session id or header is used only without one.
    const sessionId = login ? undefined : env['SNAPSERVICE_SESSION_ID'] || undefined;
    const authorization = login ? undefined : env['SNAPSERVICE_AUTHORIZATION'] || undefined;
    const envServices = (env[SERVICES_ENV] ?? '').split(/[\s,]+/).filter(Boolean);
    const filter = filters && filterOf(filters, { services: list(envServices) });
    if (!url) return { problem: 'no URL: set SNAPSERVICE_URL (or --snapservice-url) to the appliance, e.g. https://snap.example.com' };
    if (Boolean(username) !== Boolean(password))
      return { problem: `no ${username ? 'password' : 'user name'}: set both SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD to log in` };
    if (!login && !sessionId && !authorization)
      return {
        problem:
          'no credentials: set SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD (or SNAPSERVICE_SESSION_ID, or SNAPSERVICE_AUTHORIZATION)',
      };
    if (missingFilter(filter)) return { problem: `it lists tasks only of given tasks or services: ${FILTER_HINT}` };
    const tls = tlsFrom(flags, flags['snapserviceCa'], 'SNAPSERVICE_CA_FILE', env, '--snapservice-ca');
    const config: SnapserviceConfig = {
      url,
      ...(login ? { login } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(authorization ? { authorization } : {}),
      ...(tls ? { tls } : {}),
      ...(filter ? { filter } : {}),
      ...(!filter && envServices.length > 0 ? { services: envServices } : {}),
    };
    return resolved(config, 'snapservice');
  },
  fromAppliance(entry: ApplianceEntry, secret, tls, filters) {
    if (!entry.username) return { problem: 'no username: snapservice logs in with a user name and the secret as its password' };
    const bad = (entry.status ?? []).find((status) => !taskStatusValues.includes(status as (typeof taskStatusValues)[number]));
    if (bad !== undefined) return { problem: `status ${JSON.stringify(bad)} is not one of ${taskStatusValues.join(', ')}` };
    const own: SnapserviceFilter = {
      tasks: list(entry.tasks),
      services: list(entry.services),
      status: list(entry.status),
      operations: list(entry.operations),
      users: list(entry.users),
    };
    const filter = filters && filterOf(filters, own);
    if (missingFilter(filter))
      return {
        problem:
          'it lists tasks only of given tasks or services: give it services: [NAME] or tasks: [ID] in the config, or pass --service or --task',
      };
    const config: SnapserviceConfig = {
      url: entry.url,
      login: { username: entry.username, password: secret },
      ...(tls ? { tls } : {}),
      ...(filter ? { filter } : {}),
      ...(!filter && own.services ? { services: own.services } : {}),
    };
    return resolved(config, entry.name);
  },
  envCredentials: (env) =>
    credentialsOf({
      sessionId: env['SNAPSERVICE_SESSION_ID'] || undefined,
      authorization: env['SNAPSERVICE_AUTHORIZATION'] || undefined,
      ...(env['SNAPSERVICE_USERNAME'] && env['SNAPSERVICE_PASSWORD']
        ? { login: { username: env['SNAPSERVICE_USERNAME'], password: env['SNAPSERVICE_PASSWORD'] } }
        : {}),
    }),
  owns: (error) => error instanceof SnapserviceError,
  credentialFix: 'check SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD (or log in again and set SNAPSERVICE_SESSION_ID)',
} satisfies TaskApiDefinition;
