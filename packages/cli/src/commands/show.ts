import { Command } from 'commander';
import type { Context } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { addConnectionOptions, type CommonFlags } from '../options.js';
import { taskDetailLines } from '../render/task-detail.js';
import { jsonText } from '../server-text.js';
import { locate, TaskNotListedError } from './lookup.js';
import { withApis } from './shared.js';

export interface ShowFlags extends CommonFlags {
  json?: boolean;
}

/**
 * `vmtasks show <id>`: every field of one task, active or finished. The id may be cut short as
 * `wait` accepts it; one no API knows exits 1, as `wait` does.
 */
export async function show(id: string, flags: ShowFlags, context: Context): Promise<ExitCode> {
  return withApis(context, flags, undefined, async (apis) => {
    const [target] = await locate([id], apis, context.signal, { intervalMs: 0, graceMs: 0, clock: context.clock });
    const found = await target!.api.get(target!.id, context.signal);
    // Found a moment ago, gone now (a snapservice task expired, a Velostrata history trimmed).
    if (!found) throw new TaskNotListedError(`task ${target!.id} is no longer known to ${target!.api.appliance}`);
    const { stdout } = context.io;
    if (flags.json) stdout.write(`${jsonText(found, 2)}\n`);
    else stdout.write(`${taskDetailLines(found, context.clock.now(), context.colors.stdout).join('\n')}\n`);
    return ExitCode.ok;
  });
}

export function showCommand(context: Context, report: (code: ExitCode) => void): Command {
  const command = new Command('show')
    .description('print every field of one task: exit 0, or 1 when no API knows the id')
    .argument('<id>', 'task id (Velostrata id value or snapservice task id), or a unique prefix of one')
    .option('--json', 'print {"snapshot": the task as `tasks --json` has it, "raw": the API\'s own answer} as JSON');
  addConnectionOptions(command);
  return command.action(async (id: string, flags: ShowFlags) => report(await show(id, flags, context)));
}
