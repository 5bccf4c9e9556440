import type { BoardTask } from '../board.js';
import type { Colors } from './colors.js';
import { fitColumns, renderHeader, renderRow } from './columns.js';
import { sortTasks, taskColumns } from './task-columns.js';

/**
 * The `tasks` table: id, API, kind, target, state, progress, age. Fitted to `width` on a
 * terminal; in a pipe (`width` undefined) nothing is cut.
 */
export function renderTaskTable(
  tasks: readonly BoardTask[],
  options: { width?: number; now: number; colors: Colors; showApi: boolean },
): string[] {
  const width = options.width ?? Number.MAX_SAFE_INTEGER;
  const gap = width >= 100 ? 2 : 1;
  const sorted = sortTasks(tasks);
  const columns = taskColumns(options.colors, options.now, {
    showApi: options.showApi,
    bar: false,
    errorsInline: true,
    wholeIds: true,
  }).map((column) => (options.width === undefined && !column.draw ? { ...column, max: Number.MAX_SAFE_INTEGER } : column));
  const fitted = fitColumns(columns, sorted, width, gap);
  return [renderHeader(fitted, gap, options.colors), ...sorted.map((task) => renderRow(fitted, task, gap))];
}
