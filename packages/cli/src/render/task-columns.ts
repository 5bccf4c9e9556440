import { applianceOf, outcomeOf, type BoardTask } from '../board.js';
import type { Colors } from './colors.js';
import type { Column } from './columns.js';
import { duration, elapsedMs, paintState, percent, progressBar, STATE_ORDER, STATE_STYLE } from './format.js';

/** Sorts what needs attention first (failed, then running, …, succeeded last), then by start time and id. */
export function sortTasks(tasks: readonly BoardTask[]): BoardTask[] {
  const rank = (task: BoardTask): number => STATE_ORDER.indexOf(task.snapshot.state);
  const started = (task: BoardTask): string => task.snapshot.startedAt ?? '\uffff';
  return [...tasks].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      started(a).localeCompare(started(b)) ||
      applianceOf(a.snapshot).localeCompare(applianceOf(b.snapshot)) ||
      a.snapshot.id.localeCompare(b.snapshot.id, undefined, { numeric: true }),
  );
}

/**
 * The columns both the live view and the `tasks` table are made of. Narrow terminals lose the
 * message first, then the API, kind and target; id, progress and state always stay.
 */
export function taskColumns(
  colors: Colors,
  now: number,
  options: { showApi: boolean; bar: boolean; errorsInline?: boolean; wholeIds?: boolean },
): Column<BoardTask>[] {
  const columns: (Column<BoardTask> | false)[] = [
    {
      header: ' ',
      text: () => ' ',
      draw: ({ snapshot }) => paintState(snapshot.state, colors, STATE_STYLE[snapshot.state].icon),
      min: 1,
      max: 1,
    },
    // `wholeIds` (the `tasks` table, where ids are copied from): as wide as the longest, cut last.
    options.wholeIds
      ? { header: 'ID', text: ({ snapshot }) => snapshot.id, min: 13, max: Number.MAX_SAFE_INTEGER, shrinkOrder: 0 }
      : { header: 'ID', text: ({ snapshot }) => snapshot.id, min: 13, max: 36, shrinkOrder: -2 },
    // The appliance: the API's name for the environment's pair, the appliance's for a fleet config's.
    options.showApi && { header: 'API', text: ({ snapshot }) => applianceOf(snapshot), min: 11, max: 16, dropOrder: 2 },
    { header: 'KIND', text: ({ snapshot }) => snapshot.kind ?? '', min: 8, max: 24, shrinkOrder: 2, dropOrder: 3 },
    { header: 'TARGET', text: ({ snapshot }) => snapshot.target ?? '', min: 10, max: 28, shrinkOrder: 2, dropOrder: 4 },
    options.bar && {
      header: 'PROGRESS',
      text: () => '',
      draw: ({ snapshot }, width) => progressBar(snapshot.progress, width, colors, snapshot.state),
      min: 8,
      max: 20,
      shrinkOrder: 0,
      dropOrder: 5,
    },
    { header: options.bar ? '' : 'DONE', text: ({ snapshot }) => percent(snapshot.progress), min: 4, max: 4, fixed: true, align: 'right' },
    {
      header: 'STATE',
      text: (task) => (outcomeOf(task) === 'unknown' ? 'gone' : task.snapshot.state),
      paint: (fitted, { snapshot }) => paintState(snapshot.state, colors, fitted),
      min: 10,
      max: 10,
      fixed: true,
    },
    {
      header: options.bar ? 'ELAPSED' : 'AGE',
      text: ({ snapshot }) => {
        const ms = elapsedMs(snapshot, now);
        return ms === undefined ? '' : duration(ms);
      },
      min: 7,
      max: 7,
      fixed: true,
      align: 'right',
      dropOrder: 6,
    },
    {
      header: 'MESSAGE',
      // The live view prints errors on their own line under the task; the table has one line per task.
      text: ({ snapshot }) => (options.errorsInline ? (snapshot.error ?? snapshot.message) : snapshot.message) ?? '',
      paint: (fitted) => colors.dim(fitted),
      min: 12,
      max: 48,
      shrinkOrder: -1,
      dropOrder: 1,
    },
  ];
  return columns.filter((column): column is Column<BoardTask> => column !== false);
}
