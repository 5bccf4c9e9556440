import { Command } from 'commander';
import type { TaskSnapshot } from '@vmtasks/core';
import type { BoardTask } from '../board.js';
import type { Context } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { describeError, exitCodeFor } from '../exit.js';
import { isTerminal, terminalSize } from '../io.js';
import { addConnectionOptions, addFilterOptions, type FilteredFlags } from '../options.js';
import { renderTaskTable } from '../render/table.js';
import { UnreachableError } from '../unreachable.js';
import { jsonText } from '../server-text.js';
import { BadAnswerError } from '../untrusted.js';
import { withApis } from './shared.js';

export interface TasksFlags extends FilteredFlags {
  json?: boolean;
}

/** `vmtasks tasks`: one list call per API, as a table or as JSON snapshots. */
export async function tasks(flags: TasksFlags, context: Context): Promise<ExitCode> {
  return withApis(context, flags, flags, async (apis) => {
    const results = await Promise.allSettled(apis.map((api) => api.list(context.signal)));
    context.signal.throwIfAborted();
    const snapshots: TaskSnapshot[] = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    const { stdout, stderr } = context.io;
    const answered = apis.filter((_, i) => results[i]!.status === 'fulfilled').map((api) => api.name);
    if (flags.json) stdout.write(`${jsonText(snapshots, 2)}\n`);
    else if (snapshots.length === 0) {
      // "No tasks." only for what answered: an appliance that could not be asked has said nothing.
      if (answered.length === apis.length) stderr.write('No tasks.\n');
      else if (answered.length > 0) stderr.write(`No tasks from ${answered.join(' and ')}.\n`);
    } else {
      const rows: BoardTask[] = snapshots.map((snapshot) => ({ snapshot, gone: false }));
      const width = isTerminal(stdout) ? terminalSize(stdout).width : undefined;
      const lines = renderTaskTable(rows, { width, now: context.io.now(), colors: context.colors.stdout, showApi: apis.length > 1 });
      stdout.write(`${lines.join('\n')}\n`);
    }
    // An API that failed does not hide what the others listed; its error and exit status still show.
    let code: ExitCode = ExitCode.ok;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      // UnreachableError and BadAnswerError name their API themselves (`cannot reach velostrata at …`).
      const named = result.reason instanceof UnreachableError || result.reason instanceof BadAnswerError;
      const what = named ? '' : `${apis[i]!.name}: `;
      stderr.write(`${context.colors.stderr.red('error:')} ${what}${describeError(result.reason)}\n`);
      if (code === ExitCode.ok) code = exitCodeFor(result.reason);
    });
    return code;
  });
}

export function tasksCommand(context: Context, statuses: readonly string[], report: (code: ExitCode) => void): Command {
  const command = new Command('tasks')
    .description('list tasks once: id, API, kind, target, state, progress, age')
    .option('--json', 'print the tasks as JSON');
  addFilterOptions(addConnectionOptions(command), statuses);
  return command.action(async (flags: TasksFlags) => report(await tasks(flags, context)));
}
