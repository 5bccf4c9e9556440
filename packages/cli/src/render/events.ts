import { ApiError, type TaskSnapshot, type VmtasksError, type WatchEvent } from '@vmtasks/core';
import { applianceOf, outcomeOf, type ApplianceName, type BoardTask } from '../board.js';
import type { Colors } from './colors.js';
import { clock, duration, elapsedMs, paintState, percent } from './format.js';

/** The task a line is about: `velostrata task-0003 FullMigration vm-web-01`. */
export function describeTask(snapshot: TaskSnapshot): string {
  return [applianceOf(snapshot), snapshot.id, snapshot.kind, snapshot.target].filter(Boolean).join(' ');
}

/** `running 42% · Replicating disk 2 of 4`, `failed after 3m00s · quota exceeded`. */
export function describeState(snapshot: TaskSnapshot, now: number, colors: Colors): string {
  const parts = [paintState(snapshot.state, colors)];
  if (snapshot.progress !== undefined && snapshot.state !== 'succeeded') parts.push(percent(snapshot.progress).trim());
  const ms = elapsedMs(snapshot, now);
  if (snapshot.endedAt && ms !== undefined) parts.push(`${snapshot.state === 'succeeded' ? 'in' : 'after'} ${duration(ms)}`);
  const detail = snapshot.error ?? snapshot.message;
  return parts.join(' ') + (detail ? ` · ${detail}` : '');
}

/** What went wrong, with the HTTP status when there was one: `HTTP 503: The management service is not available`. */
export function troubleText(error: VmtasksError): string {
  return error instanceof ApiError ? `HTTP ${error.status}: ${error.message}` : error.message;
}

/** A transient problem, as a status note: `velostrata: HTTP 503: … · retrying in 4s (failure 2)`. */
export function describeTrouble(api: ApplianceName, trouble: { error: VmtasksError; failures: number; retryInMs: number }): string {
  return `${api}: ${troubleText(trouble.error)} · retrying in ${duration(Math.ceil(Math.max(0, trouble.retryInMs) / 1000) * 1000)} (failure ${trouble.failures})`;
}

/** A stall, as a status note: `velostrata: stalled since 21:10:00Z · HTTP 503: …`. */
export function describeStall(api: ApplianceName, stall: { since: number; lastError: VmtasksError }): string {
  return `${api}: stalled since ${clock(stall.since)} · ${troubleText(stall.lastError)}`;
}

/** A task as it is now, as a log line: `21:10:00Z velostrata task-1003 FullMigration vm-3: running 42% · …`. */
export function snapshotLine(snapshot: TaskSnapshot, now: number, colors: Colors): string {
  return `${colors.dim(clock(now))} ${describeTask(snapshot)}: ${describeState(snapshot, now, colors)}`;
}

/** Transient trouble as a log line (for stderr). */
export function troubleLine(
  api: ApplianceName,
  trouble: { error: VmtasksError; failures: number; retryInMs: number },
  now: number,
  colors: Colors,
): string {
  return `${colors.dim(clock(now))} ${colors.yellow(describeTrouble(api, trouble))}`;
}

/**
 * One plain line per change, for logs and pipes (no cursor movement; colour only when forced).
 * Transient trouble goes to stderr, so stdout stays one line per task change.
 */
export function eventLine(
  api: ApplianceName,
  event: WatchEvent,
  now: number,
  colors: Colors,
): { stream: 'stdout' | 'stderr'; line: string } | undefined {
  switch (event.type) {
    case 'appeared':
    case 'changed':
    case 'finished':
      return { stream: 'stdout', line: snapshotLine(event.snapshot, now, colors) };
    case 'disappeared':
      return {
        stream: 'stdout',
        line: `${colors.dim(clock(now))} ${describeTask(event.snapshot)}: no longer listed (last seen ${describeState(event.snapshot, now, colors)})`,
      };
    case 'transient-failure':
      return { stream: 'stderr', line: troubleLine(api, event, now, colors) };
    case 'stalled':
      return {
        stream: 'stderr',
        line: `${colors.dim(clock(now))} ${colors.red(describeStall(api, { since: Date.parse(event.since), lastError: event.lastError }))}`,
      };
    case 'recovered':
      return {
        stream: 'stderr',
        line: `${colors.dim(clock(now))} ${colors.green(`${api}: recovered (stalled since ${clock(Date.parse(event.since))})`)}`,
      };
    case 'polled':
      return undefined;
  }
}

/** An error as JSON: its class name, message and HTTP status (an Error's own fields do not serialize). */
function errorRecord(error: VmtasksError): Record<string, unknown> {
  return { name: error.name, message: error.message, ...(error instanceof ApiError ? { status: error.status } : {}) };
}

/** Where a watch's event came from: the API, and the appliance (the API's name for the environment's pair). */
export interface EventSource {
  api: string;
  appliance: ApplianceName;
}

/** One NDJSON record per event (`polled` heartbeats left out): the event as the library gives it, plus `api`, `appliance` and `at`. */
export function eventRecord({ api, appliance }: EventSource, event: WatchEvent, now: number): Record<string, unknown> | undefined {
  const at = new Date(now).toISOString();
  switch (event.type) {
    case 'polled':
      return undefined;
    case 'transient-failure':
      return {
        type: event.type,
        api,
        appliance,
        at,
        failures: event.failures,
        retryInMs: event.retryInMs,
        error: errorRecord(event.error),
      };
    case 'stalled':
      return { type: event.type, api, appliance, at, since: event.since, lastError: errorRecord(event.lastError) };
    default:
      return { ...event, api, appliance, at };
  }
}

/** What to say under a task that did not succeed. */
export function problemOf(task: BoardTask): string | undefined {
  const { snapshot } = task;
  if (snapshot.error && (snapshot.state === 'failed' || snapshot.state === 'failing' || snapshot.state === 'cancelled'))
    return snapshot.error;
  if (outcomeOf(task) === 'unknown') return 'left the list before finishing: outcome unknown';
  return undefined;
}
