import type { ApiName } from '../board.js';
import type { TaskSnapshot, WatchEvent } from '../watch-types.js';
import type { Colors } from './colors.js';
import { clock, duration, elapsedMs, paintState, percent } from './format.js';

/** The task a line is about: `velostrata task-0003 FullMigration vm-web-01`. */
export function describeTask(snapshot: TaskSnapshot): string {
  return [snapshot.api, snapshot.id, snapshot.kind, snapshot.target].filter(Boolean).join(' ');
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

/** A transient problem, as a status note: `velostrata: HTTP 503 … · retrying in 4s (failure 2)`. */
export function describeTrouble(api: ApiName, event: Extract<WatchEvent, { type: 'transient-failure' }>): string {
  return `${api}: ${event.error.message} · retrying in ${duration(Math.ceil(event.retryInMs / 1000) * 1000)} (failure ${event.failures})`;
}

/**
 * One plain line per change, for logs and pipes (no cursor movement; colour only when forced).
 * Transient trouble goes to stderr, so stdout stays one line per task change.
 */
export function eventLine(api: ApiName, event: WatchEvent, now: number, colors: Colors): { stream: 'stdout' | 'stderr'; line: string } | undefined {
  const at = colors.dim(clock(now));
  switch (event.type) {
    case 'appeared':
    case 'changed':
    case 'finished':
      return { stream: 'stdout', line: `${at} ${describeTask(event.snapshot)}: ${describeState(event.snapshot, now, colors)}` };
    case 'disappeared':
      return { stream: 'stdout', line: `${at} ${describeTask(event.snapshot)}: no longer listed (last seen ${describeState(event.snapshot, now, colors)})` };
    case 'transient-failure':
      return { stream: 'stderr', line: `${at} ${colors.yellow(describeTrouble(api, event))}` };
    case 'polled':
      return undefined;
  }
}

/** One NDJSON record per event (`polled` heartbeats left out): the event as the library gives it, plus `api` and `at`. */
export function eventRecord(api: ApiName, event: WatchEvent, now: number): Record<string, unknown> | undefined {
  const at = new Date(now).toISOString();
  switch (event.type) {
    case 'polled':
      return undefined;
    case 'transient-failure':
      return { type: event.type, api, at, failures: event.failures, retryInMs: event.retryInMs, error: { name: event.error.name, message: event.error.message } };
    default:
      return { ...event, api, at };
  }
}
