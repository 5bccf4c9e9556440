// The Velostrata Manager API in the command line: its variables and flags, how to connect, what to check when it refuses.
import { Option } from 'commander';
import { basicAuthForms } from '@vmtasks/core';
import { createVelostrataClient, toSnapshot, VelostrataError } from '@vmtasks/velostrata';
import { flagText, mapAsync, matching, tlsFrom, unlessNotFound } from './adapter.js';
import type { ResolvedApi, TaskApi, TaskApiDefinition, TlsConfig } from './task-api.js';

export interface VelostrataConfig {
  url: string;
  username: string;
  password: string;
  tls?: TlsConfig;
}

function connect(config: VelostrataConfig, appliance: string): TaskApi {
  const client = createVelostrataClient({
    baseUrl: config.url,
    username: config.username,
    password: config.password,
    ...(config.tls ? { tls: config.tls } : {}),
  });
  const list = async (signal: AbortSignal) => ((await client.listActiveTasks({ signal })).content ?? []).map(toSnapshot);
  return {
    name: 'velostrata',
    appliance,
    origin: new URL(config.url).host,
    list,
    watch: (options) => client.watchTasks(options),
    wait: async (taskId, options) => {
      await client.waitForTask(taskId, options);
    },
    find: async (idOrPrefix, signal) => {
      // A whole id is asked for by id (a finished task leaves the active list); a shortened one is looked for among the active tasks.
      if (await unlessNotFound(client.getTask(idOrPrefix, { signal }))) return [idOrPrefix];
      return matching(
        idOrPrefix,
        (await list(signal)).map((task) => task.id),
      );
    },
    prefixHint: undefined,
    get: async (taskId, signal) => {
      const raw = await unlessNotFound(client.getTask(taskId, { signal }));
      return raw && { snapshot: toSnapshot(raw), raw };
    },
    cancel: (taskId, signal) => client.cancelTask(taskId, { signal }),
    history: (pageSize, signal) => mapAsync(client.iterateTasks({ size: pageSize }, { signal }), toSnapshot),
    close: () => client.close(),
  };
}

function resolved(config: VelostrataConfig, appliance: string): ResolvedApi {
  return {
    api: 'velostrata',
    appliance,
    config,
    credentials: { values: basicAuthForms(config.username, config.password), headers: [] },
    details: [],
    connect: () => connect(config, appliance),
  };
}

export const velostrata = {
  name: 'velostrata' as const,
  help: ['VELOSTRATA_URL, VELOSTRATA_USERNAME, VELOSTRATA_PASSWORD, VELOSTRATA_CA_FILE'],
  options: () => [
    new Option('--velostrata-url <url>', 'Velostrata API root (env VELOSTRATA_URL)'),
    new Option('--velostrata-user <name>', 'Velostrata user (env VELOSTRATA_USERNAME, default apiuser)'),
    new Option('--velostrata-ca <file>', 'PEM CA to trust for Velostrata (env VELOSTRATA_CA_FILE)'),
  ],
  ca: { flag: '--velostrata-ca', env: 'VELOSTRATA_CA_FILE' },
  filters: false,
  fromEnvironment(flags, env) {
    const url = flagText(flags, 'velostrataUrl') ?? env['VELOSTRATA_URL'];
    const password = env['VELOSTRATA_PASSWORD'];
    if (!url)
      return {
        problem:
          'no URL: set VELOSTRATA_URL (or --velostrata-url) to the versioned API root, e.g. https://mgr.example.com/velostrata/api/v42',
      };
    if (!password) return { problem: 'no credentials: set VELOSTRATA_PASSWORD to the subscription ID of the Velostrata Manager' };
    const tls = tlsFrom(flags, flags['velostrataCa'], 'VELOSTRATA_CA_FILE', env, '--velostrata-ca');
    const username = flagText(flags, 'velostrataUser') ?? env['VELOSTRATA_USERNAME'] ?? 'apiuser';
    return resolved({ url, username, password, ...(tls ? { tls } : {}) }, 'velostrata');
  },
  fromAppliance(entry, secret, tls) {
    return resolved({ url: entry.url, username: entry.username ?? 'apiuser', password: secret, ...(tls ? { tls } : {}) }, entry.name);
  },
  envCredentials(env) {
    const password = env['VELOSTRATA_PASSWORD'];
    return { values: password ? basicAuthForms(env['VELOSTRATA_USERNAME'] || 'apiuser', password) : [], headers: [] };
  },
  owns: (error) => error instanceof VelostrataError,
  credentialFix: 'check VELOSTRATA_USERNAME and VELOSTRATA_PASSWORD',
} satisfies TaskApiDefinition;
