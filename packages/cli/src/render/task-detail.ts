import type { TaskSnapshot } from '@vmtasks/core';
import type { Colors } from './colors.js';
import { describeState } from './events.js';
import { percent } from './format.js';

/**
 * Every field the API gave as `path: value` lines, nested objects and lists spelled out with
 * dots and indexes (`entity.value: vm-7`, `progressMessage[0]: Replicating`): nothing hidden,
 * one field per line to grep.
 */
export function fieldLines(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [`${path}: []`] : value.flatMap((item, i) => fieldLines(item, `${path}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${path}: {}`];
    return entries.flatMap(([key, item]) => fieldLines(item, path ? `${path}.${key}` : key));
  }
  return [`${path}: ${typeof value === 'string' ? value : JSON.stringify(value)}`];
}

/**
 * `vmtasks show`: the task in the common model (aligned `key: value` lines, the state as the
 * other commands say it), then every field of the API's own answer.
 */
export function taskDetailLines(task: { snapshot: TaskSnapshot; raw: unknown }, now: number, colors: Colors): string[] {
  const { snapshot } = task;
  const common: [string, string | undefined][] = [
    ['id', snapshot.id],
    ['api', snapshot.api],
    ['kind', snapshot.kind],
    ['target', snapshot.target],
    ['state', describeState(snapshot, now, colors)],
    ['progress', snapshot.progress === undefined ? undefined : percent(snapshot.progress).trim()],
    ['message', snapshot.message],
    ['error', snapshot.error],
    ['started', snapshot.startedAt],
    ['ended', snapshot.endedAt],
    ['user', snapshot.user],
  ];
  const shown = common.filter((entry): entry is [string, string] => entry[1] !== undefined);
  const width = Math.max(...shown.map(([key]) => key.length)) + 1;
  return [
    ...shown.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}`),
    '',
    colors.dim(`${snapshot.api} fields:`),
    ...fieldLines(task.raw).map((line) => `  ${line}`),
  ];
}
