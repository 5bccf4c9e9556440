import wrapAnsi from 'wrap-ansi';
import type { TaskBoard } from '../board.js';
import type { Colors } from './colors.js';
import { fitColumns, renderHeader, renderRow } from './columns.js';
import { describeStall, describeTrouble, problemOf } from './events.js';
import { clock, stateCounts, stringWidth, truncate } from './format.js';
import { sortTasks, taskColumns } from './task-columns.js';

export interface FrameOptions {
  width: number;
  height: number;
  now: number;
  colors: Colors;
  /** First line, e.g. `Watching velostrata (mgr:443) and snapservice (snap:443)`; then a shorter one for narrow terminals. */
  title: readonly [string, ...string[]];
}

/**
 * One frame of the live view, as lines no wider than `width`, at most `height - 1` of them (the
 * cursor rests on the line below). Pure: the same board and options give the same frame.
 */
export function renderLiveFrame(board: TaskBoard, options: FrameOptions): string[] {
  const { width, height, now, colors } = options;
  const gap = width >= 100 ? 2 : 1;
  const tasks = sortTasks(board.tasks);
  const sep = colors.dim(' · ');

  const footer = [''];
  if (tasks.length === 0) footer.push(truncate(colors.dim(board.ready ? 'No tasks.' : `Waiting for ${board.apis.join(' and ')}…`), width));
  else {
    const total = `${tasks.length} task${tasks.length === 1 ? '' : 's'}`;
    footer.push(
      ...pack(
        [
          total,
          ...stateCounts(
            tasks.map((t) => t.snapshot),
            colors,
          ),
          colors.dim(clock(now)),
        ],
        sep,
        width,
      ),
    );
  }
  // A note's reason is often at its end (`…failed after 3 attempts: connect ECONNREFUSED …`): it
  // gets a third of the screen before it is cut, so only a runaway server message loses words.
  const noteLines = Math.max(2, Math.floor((height - 1) / 3));
  for (const stall of board.stalls) {
    const text = `! ${describeStall(stall.api, stall)}`;
    footer.push(...wrap(text, width, noteLines, 2).map((line) => colors.red(line)));
  }
  for (const note of board.notes) {
    const text = `! ${describeTrouble(note.api, { ...note, retryInMs: note.retryInMs - (now - note.at) })}`;
    footer.push(...wrap(text, width, noteLines, 2).map((line) => colors.yellow(line)));
  }

  const title = options.title.find((candidate) => stringWidth(candidate) <= width) ?? options.title.at(-1)!;
  const header = [truncate(colors.bold(title), width)];
  if (tasks.length === 0) return [...header, ...footer];

  const columns = taskColumns(colors, now, { showApi: board.apis.length > 1, bar: true });
  const fitted = fitColumns(columns, tasks, width, gap);
  header.push(truncate(renderHeader(fitted, gap, colors), width));

  // Rows that do not fit the terminal's height are summed up on one line: redrawing in place
  // only works for what is on screen.
  const budget = Math.max(1, height - 1 - header.length - footer.length);
  const body: string[] = [];
  let shown = 0;
  for (const task of tasks) {
    const lines = [truncate(renderRow(fitted, task, gap), width)];
    const problem = problemOf(task);
    if (problem) lines.push(...wrap(`└ ${problem}`, width - 2, 2, 2).map((line) => colors.red(`  ${line}`)));
    const more = shown + 1 < tasks.length ? 1 : 0;
    if (body.length + lines.length + more > budget) break;
    body.push(...lines);
    shown++;
  }
  if (shown < tasks.length) {
    const hidden = tasks.slice(shown).map((t) => t.snapshot);
    body.push(truncate([colors.dim(`… ${hidden.length} more:`), ...stateCounts(hidden, colors)].join(sep), width));
  }
  return [...header, ...body, ...footer];
}

/**
 * Wraps text to `width` columns, at most `maxLines` lines (the last one cut with an ellipsis);
 * lines after the first are indented by `indent` columns.
 */
export function wrap(text: string, width: number, maxLines: number, indent = 0): string[] {
  const inner = Math.max(1, width - indent);
  const lines = wrapAnsi(text, inner, { hard: true, trim: true }).split('\n');
  const kept = lines.slice(0, maxLines);
  if (lines.length > maxLines) kept[maxLines - 1] = truncate(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`, inner);
  return kept.map((line, i) => (i === 0 ? truncate(line, width) : ' '.repeat(indent) + line));
}

/** Joins parts with `separator`, starting a new line whenever the next part would not fit. */
export function pack(parts: readonly string[], separator: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const part of parts) {
    const candidate = current ? current + separator + part : part;
    if (current && stringWidth(candidate) > width) {
      lines.push(current);
      current = part;
    } else current = candidate;
  }
  if (current) lines.push(current);
  return lines.map((line) => truncate(line, width));
}
