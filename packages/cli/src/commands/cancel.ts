import { Command } from 'commander';
import { TaskCancelledError } from '@vmtasks/core';
import type { Context } from '../context.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { addConnectionOptions, addIntervalOption } from '../options.js';
import { applianceLabel, type TaskApi } from '../sources.js';
import { locate, TaskNotListedError } from './lookup.js';
import { withApis } from './shared.js';
import { addTimeoutOption, followTasks, type WaitFlags } from './wait.js';

export interface CancelFlags extends WaitFlags {
  wait?: boolean;
}

const cannotCancel = (api: TaskApi): UsageError =>
  new UsageError(`${applianceLabel(api)} has no cancel operation: its API cannot cancel a task (cancel it where it was started)`);

/**
 * `vmtasks cancel <id> [--wait]`: asks the appliance to cancel a task. The exit status says
 * whether the task is (being) cancelled: 0 when the cancel was accepted (with `--wait`: once the
 * task is cancelled) or it had already been cancelled, 1 when it ended otherwise, 124 when
 * `--timeout` ran out first. An API without a cancel operation (snapservice) exits 2.
 */
export async function cancel(id: string, flags: CancelFlags, context: Context): Promise<ExitCode> {
  return withApis(context, flags, undefined, async (apis) => {
    // Nothing to look up when no configured API could cancel what it finds.
    const cancellable = apis.filter((api) => api.cancel);
    if (cancellable.length === 0) throw cannotCancel(apis[0]!);
    const [target] = await locate([id], apis, context.signal, { intervalMs: 0, graceMs: 0, clock: context.clock });
    const { id: taskId, api } = target!;
    if (!api.cancel) throw cannotCancel(api);
    const { stderr } = context.io;
    const err = context.colors.stderr;
    const outcome = await api.cancel(taskId, context.signal);
    stderr.write(outcome === 'accepted' ? `cancelling ${taskId}\n` : `${taskId} had already ended\n`);
    if (!flags.wait) {
      if (outcome === 'accepted') return ExitCode.ok;
      const found = await api.get(taskId, context.signal);
      if (!found) throw new TaskNotListedError(`task ${taskId} is no longer known to ${api.appliance}`);
      if (found.snapshot.state === 'cancelled') return ExitCode.ok;
      stderr.write(`${err.red('error:')} task ${taskId} ${found.snapshot.state}, it was not cancelled\n`);
      return ExitCode.taskFailed;
    }
    try {
      await followTasks(context, [target!], apis, flags, `Cancelling task ${taskId}`);
    } catch (error) {
      if (!(error instanceof TaskCancelledError)) throw error;
      stderr.write(`${err.green('✓')} task ${taskId} cancelled\n`);
      return ExitCode.ok;
    }
    stderr.write(`${err.red('error:')} task ${taskId} succeeded, it was not cancelled\n`);
    return ExitCode.taskFailed;
  });
}

export function cancelCommand(context: Context, report: (code: ExitCode) => void): Command {
  const command = new Command('cancel')
    .description(
      'cancel a Velostrata task: exit 0 when cancelled (or being cancelled, without --wait), 1 when it ended otherwise, 2 for an API that cannot cancel, 124 on timeout',
    )
    .argument('<id>', 'Velostrata task id, or a unique prefix of one')
    .option('--wait', 'wait until the task has ended: exit 0 once cancelled, 1 when it ended otherwise');
  addIntervalOption(addTimeoutOption(addConnectionOptions(command)));
  return command.action(async (id: string, flags: CancelFlags) => report(await cancel(id, flags, context)));
}
