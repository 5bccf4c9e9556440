import { Command } from 'commander';
import type { TaskSnapshot } from '@vmtasks/core';
import type { BoardTask } from '../board.js';
import { note, type Context } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { exitCodeFor } from '../exit.js';
import { downLine, type DownAppliance } from '../fleet/down.js';
import { isTerminal, terminalSize } from '../io.js';
import { addConnectionOptions, addFilterOptions, type FilteredFlags } from '../options.js';
import { renderTaskTable, taskTableStream } from '../render/table.js';
import type { TaskApi } from '../sources.js';
import { jsonText } from '../server-text.js';
import { withApis } from './shared.js';

export interface TasksFlags extends FilteredFlags {
  json?: boolean;
  all?: boolean;
}

/** Tasks per request of a history (`tasks --all`): the rows of one page are printed before the next is asked for. */
export const HISTORY_PAGE_SIZE = 100;

/** `vmtasks tasks`: one list call per API, as a table or as JSON snapshots. */
export async function tasks(flags: TasksFlags, context: Context): Promise<ExitCode> {
  if (flags.all) return allTasks(flags, context);
  return withApis(context, flags, flags, async (apis) => {
    const results = await Promise.allSettled(apis.map((api) => api.list(context.signal)));
    context.signal.throwIfAborted();
    const snapshots: TaskSnapshot[] = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    const { stdout, stderr } = context.io;
    const answered = apis.filter((_, i) => results[i]!.status === 'fulfilled').map((api) => api.appliance);
    if (flags.json) stdout.write(`${jsonText(snapshots, 2)}\n`);
    else if (snapshots.length === 0) {
      // "No tasks." only for what answered: an appliance that could not be asked has said nothing.
      if (answered.length === apis.length) stderr.write('No tasks.\n');
      else if (answered.length > 0) stderr.write(`No tasks from ${answered.join(' and ')}.\n`);
    } else {
      const rows: BoardTask[] = snapshots.map((snapshot) => ({ snapshot, gone: false }));
      const width = isTerminal(stdout) ? terminalSize(stdout).width : undefined;
      const lines = renderTaskTable(rows, { width, now: context.clock.now(), colors: context.colors.stdout, showApi: apis.length > 1 });
      stdout.write(`${lines.join('\n')}\n`);
    }
    // An API that failed does not hide what the others listed; its error and exit status still show.
    return reportFailures(
      context,
      results.flatMap((result, i) => (result.status === 'rejected' ? [{ api: apis[i]!, error: result.reason as unknown }] : [])),
    );
  });
}

/** Each appliance's error on stderr; the exit status of the first (0 when none failed). */
function reportFailures(context: Context, failures: readonly DownAppliance[]): ExitCode {
  for (const failure of failures) context.io.stderr.write(downLine(context, failure));
  return failures.length > 0 ? exitCodeFor(failures[0]!.error) : ExitCode.ok;
}

/** Where `tasks --all` writes its rows, a page at a time: a table, or one JSON array written as it grows. */
function historyOutput(
  context: Context,
  flags: TasksFlags,
  showApi: boolean,
  alsoFit: readonly TaskSnapshot[],
): { page(snapshots: readonly TaskSnapshot[]): void; end(): void } {
  const { stdout } = context.io;
  if (flags.json) {
    let started = false;
    return {
      // One task per line inside the array: `jq` reads the whole, `grep` and `head` read lines.
      page: (snapshots) => {
        for (const snapshot of snapshots) {
          stdout.write(`${started ? ',\n' : '[\n'}  ${jsonText(snapshot)}`);
          started = true;
        }
      },
      end: () => void stdout.write(started ? '\n]\n' : '[]\n'),
    };
  }
  const row = (snapshot: TaskSnapshot): BoardTask => ({ snapshot, gone: false });
  const table = taskTableStream(
    {
      width: isTerminal(stdout) ? terminalSize(stdout).width : undefined,
      now: context.clock.now(),
      colors: context.colors.stdout,
      showApi,
    },
    alsoFit.map(row),
  );
  return {
    page: (snapshots) => {
      const lines = table.page(snapshots.map(row));
      if (lines.length > 0) stdout.write(`${lines.join('\n')}\n`);
    },
    end: () => {},
  };
}

/**
 * `vmtasks tasks --all`: every task each appliance remembers, finished ones included, printed a
 * page at a time as the pages come (Velostrata's paged history). snapservice keeps no history:
 * it contributes what `tasks` lists, with a note saying so, after the histories (listed first,
 * so the table's columns are fitted to its rows too).
 */
async function allTasks(flags: TasksFlags, context: Context): Promise<ExitCode> {
  return withApis(context, flags, flags, async (apis) => {
    const failures: { api: TaskApi; error: unknown }[] = [];
    const listed: TaskSnapshot[] = [];
    for (const api of apis.filter((each) => !each.history)) {
      note(context, `${api.appliance} keeps no task history: --all lists what it lists now`);
      try {
        listed.push(...(await api.list(context.signal)));
      } catch (error) {
        context.signal.throwIfAborted();
        failures.push({ api, error });
      }
    }
    const output = historyOutput(context, flags, apis.length > 1, listed);
    let printed = 0;
    const print = (snapshots: readonly TaskSnapshot[]): void => {
      output.page(snapshots);
      printed += snapshots.length;
    };
    for (const api of apis) {
      if (!api.history) continue;
      let page: TaskSnapshot[] = [];
      try {
        for await (const snapshot of api.history(HISTORY_PAGE_SIZE, context.signal)) {
          page.push(snapshot);
          if (page.length < HISTORY_PAGE_SIZE) continue;
          print(page);
          page = [];
        }
        print(page);
      } catch (error) {
        context.signal.throwIfAborted();
        failures.push({ api, error });
      }
    }
    print(listed);
    output.end();
    if (printed === 0 && !flags.json && failures.length === 0) context.io.stderr.write('No tasks.\n');
    return reportFailures(context, failures);
  });
}

export function tasksCommand(context: Context, statuses: readonly string[], report: (code: ExitCode) => void): Command {
  const command = new Command('tasks')
    .description('list tasks once: id, API, kind, target, state, progress, age')
    .option('--json', 'print the tasks as JSON (an array; with --all, one task per line, written as the pages come)')
    .option('--all', 'every task the appliance remembers, finished ones included (Velostrata history, a page at a time)');
  addFilterOptions(addConnectionOptions(command), statuses);
  return command.action(async (flags: TasksFlags) => report(await tasks(flags, context)));
}
