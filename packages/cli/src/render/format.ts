import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import type { TaskSnapshot, TaskState } from '@vmtasks/core';
import type { Colors } from './colors.js';

/** Cuts text to `width` terminal columns (wide characters counted), with an ellipsis. */
export function truncate(text: string, width: number, position: 'end' | 'middle' = 'end'): string {
  if (width <= 0) return '';
  return stringWidth(text) <= width ? text : cliTruncate(text, width, { position });
}

/** Pads (or cuts) text to exactly `width` columns. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left', position: 'end' | 'middle' = 'end'): string {
  const cut = truncate(text, width, position);
  const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

export { stringWidth };

/** A progress bar `width` columns wide; unknown progress is an empty track. */
export function progressBar(progress: number | undefined, width: number, colors: Colors, state: TaskState): string {
  if (width <= 0) return '';
  const fraction = progress === undefined ? 0 : Math.min(1, Math.max(0, progress));
  const filled = Math.round(fraction * width);
  const paint = STATE_STYLE[state].paint(colors);
  return paint('█'.repeat(filled)) + colors.dim('░'.repeat(width - filled));
}

/** `42%`, or `–` when the API does not say. Always 4 columns wide. */
export function percent(progress: number | undefined): string {
  if (progress === undefined) return '   –';
  return `${Math.floor(Math.min(1, Math.max(0, progress)) * 100)}%`.padStart(4);
}

/** A short duration: `12s`, `4m05s`, `1h02m`, `3d04h`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

/** How long a task has run: until it ended, or until `now` while it runs. Undefined when it has not started. */
export function elapsedMs(snapshot: TaskSnapshot, now: number): number | undefined {
  const started = snapshot.startedAt ? Date.parse(snapshot.startedAt) : Number.NaN;
  if (Number.isNaN(started)) return undefined;
  const ended = snapshot.endedAt ? Date.parse(snapshot.endedAt) : Number.NaN;
  return (Number.isNaN(ended) ? now : ended) - started;
}

interface StateStyle {
  icon: string;
  paint: (colors: Colors) => (text: string) => string;
}

/** One icon and colour per state; the word is always shown too, so nothing depends on colour alone. */
export const STATE_STYLE: Readonly<Record<TaskState, StateStyle>> = {
  pending: { icon: '○', paint: (c) => c.dim },
  running: { icon: '●', paint: (c) => c.cyan },
  blocked: { icon: '◌', paint: (c) => c.yellow },
  cancelling: { icon: '⊘', paint: (c) => c.yellow },
  failing: { icon: '✗', paint: (c) => c.red },
  succeeded: { icon: '✓', paint: (c) => c.green },
  failed: { icon: '✗', paint: (c) => (text) => c.bold(c.red(text)) },
  cancelled: { icon: '⊘', paint: (c) => c.magenta },
};

/** Display order of states in summaries: what needs attention first. */
export const STATE_ORDER: readonly TaskState[] = ['failed', 'failing', 'running', 'cancelling', 'blocked', 'pending', 'cancelled', 'succeeded'];

export const paintState = (state: TaskState, colors: Colors, text: string = state): string => STATE_STYLE[state].paint(colors)(text);

/** `1 failed`, `3 running`, `5 succeeded`, … in `STATE_ORDER`, states with no task left out. */
export function stateCounts(snapshots: Iterable<TaskSnapshot>, colors: Colors): string[] {
  const counts = new Map<TaskState, number>();
  for (const { state } of snapshots) counts.set(state, (counts.get(state) ?? 0) + 1);
  return STATE_ORDER.filter((state) => counts.has(state)).map((state) => paintState(state, colors, `${counts.get(state)} ${state}`));
}

/** The clock time of a moment, `HH:MM:SS` UTC with a `Z`, for log lines. */
export const clock = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)}Z`;

