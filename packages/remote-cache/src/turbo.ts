import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { run, type RunResult } from '@vmtasks/spec-toolchain/test-workspace';
import type { RemoteCacheServer } from './server.js';

/**
 * The variables a CI job sets to share turbo's cache through `server`, signed with `signatureKey`
 * (turbo.json has `remoteCache.signature`). Others of the same family the environment may hold
 * are blanked, so a developer's own settings never leak into a test.
 */
export function remoteCacheEnv(server: RemoteCacheServer, signatureKey: string): NodeJS.ProcessEnv {
  return {
    TURBO_API: server.url,
    TURBO_TOKEN: server.token,
    TURBO_TEAM: server.team,
    TURBO_REMOTE_CACHE_SIGNATURE_KEY: signatureKey,
    TURBO_TEAMID: undefined,
    TURBO_CACHE: undefined,
    TURBO_REMOTE_ONLY: undefined,
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  };
}

/** Runs the clone's own `scripts/turbo` (as the root scripts do) in `dir`. */
export const turbo = (dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> =>
  run(path.join(dir, 'scripts/turbo'), args, dir, env);

export interface TaskState {
  hash: string;
  /** HIT or MISS, as turbo reports it for this run (remote cache only: see the runs below). */
  status: string;
  /** REMOTE, LOCAL or undefined on a miss. */
  source?: string;
}

interface SummaryTask {
  taskId: string;
  hash: string;
  command: string;
  resolvedTaskDefinition: { cache: boolean };
  cache: { status: string; source?: string };
  dependents: string[];
}

/** What `--dry=json` and `--summarize` say about each task. */
export interface RunSummary {
  /** Every cacheable task that has a command (turbo also lists packages without the script). */
  tasks: Map<string, TaskState>;
  /** taskId → the tasks that depend on it, every task of the graph included. */
  dependents: Map<string, string[]>;
  text: string;
}

function summarise(text: string): RunSummary {
  const parsed = JSON.parse(text) as { tasks: SummaryTask[] };
  const tasks = new Map<string, TaskState>();
  const dependents = new Map<string, string[]>();
  for (const task of parsed.tasks) {
    dependents.set(task.taskId, task.dependents);
    if (task.command === '<NONEXISTENT>' || !task.resolvedTaskDefinition.cache) continue;
    tasks.set(task.taskId, { hash: task.hash, status: task.cache.status, source: task.cache.source });
  }
  return { tasks, dependents, text };
}

/** `turbo run <tasks> --dry=json`: hashes, and whether the remote cache has each artifact (it asks the server). */
export async function dryRun(dir: string, tasks: readonly string[], env: NodeJS.ProcessEnv): Promise<RunSummary> {
  const result = await turbo(dir, ['run', ...tasks, '--dry=json', '--cache=remote:rw'], env);
  if (result.code !== 0) throw new Error(`turbo --dry=json exited ${result.code}:\n${result.stderr}`);
  return summarise(result.stdout);
}

/**
 * `turbo run <tasks>` with the remote cache only (the clone's local cache would hide whether an
 * artifact came from the server), and turbo's own summary of the run.
 */
export async function pipelineRun(dir: string, tasks: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult & RunSummary> {
  const runs = path.join(dir, '.turbo/runs');
  const before = new Set(await readdir(runs).catch(() => []));
  const result = await turbo(dir, ['run', ...tasks, '--cache=remote:rw', '--summarize', '--output-logs=errors-only'], env);
  if (result.code !== 0)
    throw new Error(`turbo run ${tasks.join(' ')} exited ${result.code}:\n${result.stdout.slice(-4000)}\n${result.stderr}`);
  const written = (await readdir(runs)).filter((file) => file.endsWith('.json') && !before.has(file));
  if (written.length !== 1) throw new Error(`expected one run summary in ${runs}, found ${written.length}`);
  return { ...result, ...summarise(await readFile(path.join(runs, written[0]!), 'utf8')) };
}

/** `tasks` and every task that depends on one of them, directly or not. */
export function withDependents(tasks: Iterable<string>, dependents: Map<string, string[]>): Set<string> {
  const found = new Set<string>();
  const visit = (task: string): void => {
    if (found.has(task)) return;
    found.add(task);
    for (const next of dependents.get(task) ?? []) visit(next);
  };
  for (const task of tasks) visit(task);
  return found;
}
