// The simulator's public vocabulary: options, the handle a test gets, faults and task scripts.
import type { EntityType, ListItem, LocalizableMessage, TaskDescription, TaskError, TaskState, TaskStatus } from './spec-types.js';

export type ApiName = 'velostrata' | 'snapservice';

/** `wave`: a migration wave and a snapshot wave that move; `empty`: no task until a test adds its own. */
export type ScenarioName = 'wave' | 'empty';

export interface SimulatorOptions {
  /** Seed of every random choice (durations, which VMs fail, ids). Default 1. */
  seed?: number;
  /**
   * `'manual'`: time stands still until `sim.advance(ms)`: deterministic, never sleeps.
   * `{ speed }`: real time sped up (`{ speed: 15 }` runs a wave in about a minute). Default `{ speed: 1 }`.
   */
  clock?: 'manual' | { speed: number };
  /** The simulated time at start. Default `2026-01-05T09:00:00.000Z` with a manual clock, the real time otherwise. */
  startTime?: string | Date;
  /** Built-in tasks. Default `'wave'`. */
  scenario?: ScenarioName;
  /** Size of the wave: Velostrata VMs (default 6) and snapservice snapshot tasks (default 6). */
  size?: { vms?: number; snapshots?: number };
  /** Ports on 127.0.0.1; default 0, a free port. */
  ports?: { velostrata?: number; snapservice?: number };
  /**
   * How long (simulated ms) a finished Velostrata task stays in the active list. The vendor does not
   * document it; default 300 000 (5 minutes).
   */
  retentionMs?: number;
  credentials?: {
    velostrataPassword?: string;
    snapserviceSessionId?: string;
    samlToken?: string;
    snapserviceUsername?: string;
    snapservicePassword?: string;
  };
  /** How long a snapservice session lives without being used, in simulated ms; default unlimited. */
  sessionTtlMs?: number;
}

/** What the next requests to an appliance suffer, checked before authentication. */
export type Fault =
  /** 503 with the API's error body (snapservice `SERVICE_UNAVAILABLE`). */
  | { kind: 'unavailable' }
  /** 429 with `Retry-After` (seconds, default 1). */
  | { kind: 'rate-limited'; retryAfterSeconds?: number }
  /** The normal answer, after `delayMs` of real time. */
  | { kind: 'slow'; delayMs: number }
  /** The connection is destroyed without an answer. */
  | { kind: 'reset' }
  /** 401, as for wrong credentials (snapservice `UNAUTHENTICATED` with its challenge). */
  | { kind: 'unauthenticated' }
  /** 403: the credentials are good but lack a privilege (snapservice `UNAUTHORIZED`). */
  | { kind: 'forbidden' }
  /** 500 with the API's error body (snapservice `ERROR`, Velostrata `INTERNAL_ERROR`). */
  | { kind: 'error' };

/** A step of a scripted task leaves the list instead of changing state. */
export interface RemovedStep {
  afterMs?: number;
  removed: true;
}

export interface SnapserviceStateStep {
  /** Simulated ms after the previous step (the first: after the task is added). Default 0 for the first, 1000 after. */
  afterMs?: number;
  status: TaskStatus;
  /** A percentage (total 100), or the work done out of a total. */
  progress?: number | { total: number; completed: number };
  /** The progress message: its English text, or a whole localizable message. Kept until changed. */
  message?: string | LocalizableMessage;
  /** For `FAILED`: the task's error. Default: a `RESOURCE_INACCESSIBLE` vAPI error. */
  error?: TaskError;
  /** For `SUCCEEDED`: the operation's result. */
  result?: unknown;
  cancelable?: boolean;
}
export type SnapserviceStep = SnapserviceStateStep | RemovedStep;

export interface SnapserviceTaskScript {
  /** Default `<uuid from the seed>:com.vmware.snapservice.protection_group`. */
  id?: string;
  /** Default `com.vmware.snapservice.protection_group`. */
  service?: string;
  /** Default `snapshot`. */
  operation?: string;
  target?: { type: string; id: string };
  /** Default `VSPHERE.LOCAL\Administrator`. */
  user?: string;
  description?: LocalizableMessage;
  steps: SnapserviceStep[];
}

export interface VelostrataStateStep {
  /** Simulated ms after the previous step (the first: after the task is added). Default 0 for the first, 1000 after. */
  afterMs?: number;
  state: TaskState;
  /** 0 to 100. */
  progress?: number;
  /** The task's `progressMessage`. */
  message?: string;
  errorMessage?: string[];
  errorDetails?: string;
}
export type VelostrataStep = VelostrataStateStep | RemovedStep;

export interface VelostrataTaskScript {
  /** The `TaskId.value`; default `task-<next number>`. */
  id?: string;
  /** Default `FullMigration`; any string (the API adds task types between releases). */
  taskType?: string;
  /** Default a `VmId` `vm-<next number>`. */
  entity?: { value: string; _type: EntityType };
  /** Default `apiuser`. */
  username?: string;
  parentTaskId?: string;
  subTasks?: string[];
  additionalInfo?: Record<string, unknown>;
  steps: VelostrataStep[];
}

/** Controls shared by both appliances. */
export interface ApplianceControls {
  /** The next `count` requests (default 1) to this appliance suffer `fault`. */
  injectFault(fault: Fault, count?: number): void;
  clearFaults(): void;
  /** Requests received so far, on any path. */
  readonly requests: number;
  /** Bytes of the response bodies sent so far. */
  readonly bytesSent: number;
}

export interface SimulatedVelostrata extends ApplianceControls {
  /** The versioned API root, e.g. `http://127.0.0.1:PORT/velostrata/api/v42`. */
  readonly url: string;
  /** `apiuser`. */
  readonly username: string;
  /** The subscription id (Basic auth password). */
  readonly password: string;
  /** Adds a task that follows `script` from now on; returns its id value. */
  addTask(script: VelostrataTaskScript): string;
  /** What `GET /tasks` lists right now. */
  tasks(): TaskDescription[];
}

export interface SimulatedSnapservice extends ApplianceControls {
  /** The host root, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The current valid session id (`vmware-api-session-id`). */
  readonly sessionId: string;
  /** An accepted `Authorization` header value (`SIGN token="…"`). */
  readonly authorization: string;
  /** The user who may log in (`POST /api/snapservice/sessions`, HTTP Basic), and their password. */
  readonly username: string;
  readonly password: string;
  /** Adds a task that follows `script` from now on; returns its id. */
  addTask(script: SnapserviceTaskScript): string;
  /** Every task listed right now, unfiltered. */
  tasks(): ListItem[];
  /** Every live session (`sessionId` and those clients logged in to) answers 401 `UNAUTHENTICATED` from now on. */
  expireSession(): void;
  /** `expireSession()` once `requests` more requests have been answered with a live session: to expire it in the middle of a round. */
  expireSessionAfter(requests: number): void;
  /** How many sessions were created by logging in (`POST /api/snapservice/sessions`), and how many are live now. */
  sessions(): { created: number; live: number };
  /** A new valid session id (also the new `sessionId`). */
  renewSession(): string;
}

export interface Simulator extends AsyncDisposable {
  readonly velostrata: SimulatedVelostrata;
  readonly snapservice: SimulatedSnapservice;
  readonly seed: number;
  /** The simulated time. */
  now(): Date;
  /** Moves a manual clock forward by `ms`; a TypeError on a real-time clock. */
  advance(ms: number): Promise<void>;
  /** The environment the contract tests and the CLI read: VELOSTRATA_URL, VELOSTRATA_USERNAME, … */
  env(): Record<string, string>;
  /** Closes both servers and their connections; safe to call twice. */
  stop(): Promise<void>;
}
