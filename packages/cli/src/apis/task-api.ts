import type { Option } from 'commander';
import type { TaskSnapshot, WaitOptions, WatchEvent, WatchTasksOptions } from '@vmtasks/core';
import type { IOStreams } from '../io.js';

/**
 * One appliance as the commands see it: list, watch and wait in the common task model. A thin
 * adapter over each client's own methods; the polling itself is the clients'. An appliance
 * that cannot be reached rejects with `UnreachableError` (exit 4), whichever method asked.
 */
export interface TaskApi {
  /** The API's name (`velostrata`, …): a name in the table of `apis/index.ts`. */
  readonly name: string;
  /** Which appliance this is, as the user named it (a fleet config's appliance name; the API's name for the environment's single pair). */
  readonly appliance: string;
  /** Where it is, for titles and messages: the URL's host, never credentials. */
  readonly origin: string;
  list(signal: AbortSignal): Promise<TaskSnapshot[]>;
  /**
   * The watch's events. Trouble after the first answer is ridden out (`transient-failure`
   * events); an appliance that cannot be reached before it ever answered ends the watch with
   * `UnreachableError`: a wrong URL or a dead appliance should not look like a quiet one.
   */
  watch(options: WatchTasksOptions): AsyncIterable<WatchEvent>;
  /** Resolves when the task succeeded; rejects with the client's typed error otherwise. */
  wait(taskId: string, options: WaitOptions): Promise<void>;
  /**
   * The ids this API lists right now that are `idOrPrefix` (then only it) or start with it: a
   * task id cut short in a table is still found, as git and docker find a short id.
   */
  find(idOrPrefix: string, signal: AbortSignal): Promise<string[]>;
  /** Why a shortened id cannot be looked up here, when it cannot (said when an id is not found). */
  readonly prefixHint: string | undefined;
  /** One task with every field the API gives (`raw`), or undefined when the API does not know the id. */
  get(taskId: string, signal: AbortSignal): Promise<FoundTask | undefined>;
  /** Asks the appliance to cancel a task; undefined for an API without a cancel operation. */
  readonly cancel: ((taskId: string, signal: AbortSignal) => Promise<'accepted' | 'already-ended'>) | undefined;
  /** Every task the appliance remembers, finished ones included, `pageSize` at a time; undefined for an API without a history. */
  readonly history: ((pageSize: number, signal: AbortSignal) => AsyncIterable<TaskSnapshot>) | undefined;
  close(): Promise<void>;
}

/** A task as `show` prints it: the common model and the API's own answer. */
export interface FoundTask {
  snapshot: TaskSnapshot;
  raw: unknown;
}

/** snapservice's `Tasks.FilterSpec`, from repeatable flags. */
export interface FilterFlags {
  task: string[];
  service: string[];
  status: string[];
  operation: string[];
  user: string[];
}

/** Connection flags every command takes: `--api`, `--insecure`, and each API's own (`velostrataUrl`, …; secrets never). */
export interface ConnectionFlags {
  api: string;
  insecure?: boolean;
  [flag: string]: unknown;
}

export interface TlsConfig {
  ca?: string;
  rejectUnauthorized?: false;
}

/** Every form of an API's credentials, for the redactor of everything printed (credentials.ts). */
export interface CredentialForms {
  /** Secret values (and Basic forms: `basicAuthForms`). */
  values: (string | undefined)[];
  /** Header values, redacted with what core finds in them (the token of `SIGN token="…"`, …). */
  headers: [string, string][];
}

/** What an API needs to connect, from the environment or from an appliance of a fleet config; `connect` opens it. */
export interface ResolvedApi {
  /** The API's name. */
  readonly api: string;
  /** The appliance's name (the API's name for the environment's single pair). */
  readonly appliance: string;
  /** The API's own configuration (url, user, tls, filter …): for `--verbose` and tests; holds secrets, never printed whole. */
  readonly config: object;
  readonly credentials: CredentialForms;
  /** Said with `--verbose` (never secrets). */
  readonly details: string[];
  connect(): TaskApi;
}

/** What a command connects to: the environment's pair or a fleet context's appliances. */
export interface Connections {
  /** What to connect to, in the table's order (a fleet config: the context's order). */
  apis: ResolvedApi[];
  /** Why an API was left out, or what to be careful about; printed to stderr. */
  notes: string[];
}

/** Either a configuration, or why there is none (said as `<api> skipped: <problem>`, or as a usage error when the API was asked for). */
export type Resolution = ResolvedApi | { problem: string };

/** An appliance of a fleet config, as the schema allows it (config.schema.json). */
export interface ApplianceEntry {
  name: string;
  api: string;
  url: string;
  username?: string;
  caFile?: string;
  insecure?: boolean;
  secret: { env: string } | { command: string[] };
  services?: string[];
  tasks?: string[];
  status?: string[];
  operations?: string[];
  users?: string[];
}

/**
 * A task API as the command line knows it: one file per API under `apis/`, one line in the table
 * of `apis/index.ts`. Everything API-specific the CLI does lives here: its environment variables
 * and flags, how to connect, and how to phrase a refused credential.
 */
export interface TaskApiDefinition {
  readonly name: string;
  /** Its lines of the help's Configuration part (environment variables). */
  readonly help: string[];
  /** Its connection flags (`--velostrata-url`, …); secrets are never flags (they show up in `ps`). */
  options(): Option[];
  /** Its CA flag and variable (`--velostrata-ca`, `VELOSTRATA_CA_FILE`), for advice on an untrusted certificate. */
  readonly ca: { flag: string; env: string };
  /** Whether it reads snapservice-style filters (`--task`, `--service`, …). */
  readonly filters: boolean;
  /** Its configuration from flags and the environment (the single pair). */
  fromEnvironment(flags: ConnectionFlags, env: IOStreams['env'], filters: FilterFlags | undefined): Resolution;
  /** Its configuration from an appliance of a fleet config, with the secret already read and the CA file loaded. */
  fromAppliance(entry: ApplianceEntry, secret: string, tls: TlsConfig | undefined, filters: FilterFlags | undefined): Resolution;
  /** The environment's credentials for this API, whether or not the command uses them: redacted from the start. */
  envCredentials(env: IOStreams['env']): CredentialForms;
  /** Whether `error` (an `ApiError`) came from this API's client. */
  owns(error: Error): boolean;
  /** What to check when the appliance refused the credentials, for the environment's pair. */
  readonly credentialFix: string;
}
