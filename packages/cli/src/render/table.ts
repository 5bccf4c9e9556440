import type { BoardTask } from '../board.js';
import type { Colors } from './colors.js';
import { fitColumns, renderHeader, renderRow, type Column, type FittedColumn } from './columns.js';
import { stringWidth } from './format.js';
import { sortTasks, taskColumns } from './task-columns.js';

/**
 * The `tasks` table: id, API, kind, target, state, progress, age. Fitted to `width` on a
 * terminal; in a pipe (`width` undefined) nothing is cut.
 */
export function renderTaskTable(
  tasks: readonly BoardTask[],
  options: { width?: number; now: number; colors: Colors; showApi: boolean },
): string[] {
  const { width, gap, columns } = tableLayout(options);
  const sorted = sortTasks(tasks);
  const fitted = fitColumns(columns, sorted, width, gap);
  return [renderHeader(fitted, gap, options.colors), ...sorted.map((task) => renderRow(fitted, task, gap))];
}

type TableOptions = Parameters<typeof renderTaskTable>[1];

function tableLayout(options: TableOptions): { width: number; gap: number; columns: Column<BoardTask>[] } {
  const width = options.width ?? Number.MAX_SAFE_INTEGER;
  const columns = taskColumns(options.colors, options.now, {
    showApi: options.showApi,
    bar: false,
    errorsInline: true,
    wholeIds: true,
  }).map((column) => (options.width === undefined && !column.draw ? { ...column, max: Number.MAX_SAFE_INTEGER } : column));
  return { width, gap: width >= 100 ? 2 : 1, columns };
}

/**
 * The `tasks` table printed a page at a time (`tasks --all`), in the order the pages come. The
 * first page sets the header and the column widths, fitted to it and to `alsoFit` (rows known in
 * advance that come later). A later page widens a column its values need; when that would not fit
 * the terminal, the columns are fitted again to the widest rows so far (in a pipe nothing is cut).
 */
export function taskTableStream(
  options: TableOptions,
  alsoFit: readonly BoardTask[] = [],
): { page(tasks: readonly BoardTask[]): string[] } {
  const { width, gap, columns } = tableLayout(options);
  const total = (all: readonly FittedColumn<BoardTask>[]): number => all.reduce((sum, f) => sum + f.width, 0) + gap * (all.length - 1);
  let fitted: FittedColumn<BoardTask>[] | undefined;
  // For each column, the row with its widest value so far: what a refit must make room for.
  let widest: BoardTask[] = [];
  const remember = (tasks: readonly BoardTask[]): void => {
    const rows = [...widest, ...tasks];
    widest = [
      ...new Set(columns.map((column) => rows.reduce((a, b) => (stringWidth(column.text(b)) > stringWidth(column.text(a)) ? b : a)))),
    ];
  };
  return {
    page(tasks) {
      if (tasks.length === 0) return [];
      if (!fitted) {
        remember([...tasks, ...alsoFit]);
        fitted = fitColumns(columns, widest, width, gap);
        return [renderHeader(fitted, gap, options.colors), ...tasks.map((task) => renderRow(fitted!, task, gap))];
      }
      const wanted = fitColumns(columns, tasks, width, gap);
      const grown = fitted.map((f) => ({ ...f, width: Math.max(f.width, wanted.find((w) => w.column === f.column)?.width ?? 0) }));
      remember(tasks);
      fitted = total(grown) <= width ? grown : fitColumns(columns, widest, width, gap);
      return tasks.map((task) => renderRow(fitted!, task, gap));
    },
  };
}
