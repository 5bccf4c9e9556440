// The task APIs the command line knows: one file each, one line here. A new API is a file like
// velostrata.ts (its variables, flags, connection, credential advice) and a line in this table.
import { snapservice } from './snapservice.js';
import type { TaskApiDefinition } from './task-api.js';
import { velostrata } from './velostrata.js';

export const TASK_APIS = [velostrata, snapservice] as const satisfies readonly TaskApiDefinition[];

/** An API's name, as `--api` and a fleet config's `api:` take it. */
export type ApiName = (typeof TASK_APIS)[number]['name'];

/** The definition named `name`, or undefined. */
export function apiNamed(name: string): TaskApiDefinition | undefined {
  return TASK_APIS.find((api) => api.name === name);
}

export type {
  ApplianceEntry,
  ConnectionFlags,
  Connections,
  FilterFlags,
  FoundTask,
  ResolvedApi,
  TaskApi,
  TaskApiDefinition,
  TlsConfig,
} from './task-api.js';
