import { Command } from 'commander';
import { outcomeOf, TaskBoard } from '../board.js';
import type { Context } from '../context.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { exitCodeFor } from '../exit.js';
import { reportDown, untilDown, type DownAppliance } from '../fleet/down.js';
import { mergeTagged } from '../merge.js';
import { addConnectionOptions, addFilterOptions, addIntervalOption, pollIntervals, type FilteredFlags } from '../options.js';
import { chooseOutput } from '../outputs.js';
import { describeTask, problemOf } from '../render/events.js';
import { readWatchState, WatchStateFile } from '../watch-state.js';
import { titles, withApis } from './shared.js';

export interface WatchFlags extends FilteredFlags {
  interval: number;
  untilDone?: boolean;
  json?: boolean;
  state?: string;
}

/** Why `--state` cannot be used with the other flags given, if it cannot. */
function stateProblem(flags: WatchFlags): string | undefined {
  if (flags.state === undefined) return undefined;
  if (!flags.json) return '--state needs --json: a resumed watch prints only what changed, which a live view would show as a partial board';
  if (flags.untilDone)
    return '--state cannot be combined with --until-done: a resumed watch does not announce the tasks it already reported, so it cannot tell when all are done';
  return undefined;
}

/** `vmtasks watch`: every task moving, live; with `--until-done`, a CI gate on a whole wave. */
export async function watch(flags: WatchFlags, context: Context): Promise<ExitCode> {
  const problem = stateProblem(flags);
  if (problem) throw new UsageError(problem);
  return withApis(context, flags, flags, async (apis) => {
    // Read before anything is printed: a state file that cannot be used stops the watch at once.
    const state = flags.state === undefined ? undefined : new WatchStateFile(flags.state, readWatchState(flags.state));
    const board = new TaskBoard(apis.map((api) => api.appliance));
    const title = titles('Watching tasks', apis);
    const output = await chooseOutput(context, board, { json: flags.json, title });
    // Stops every poll at once when the loop ends (`--until-done`, an error), not only on Ctrl-C.
    const done = new AbortController();
    const down: DownAppliance[] = [];
    const signal = AbortSignal.any([context.signal, done.signal]);
    try {
      // One appliance of several that cannot be asked is said and left out; the last one's error ends the watch.
      const onDown = (api: (typeof apis)[number]) => (error: unknown) => {
        if (signal.aborted || down.length + 1 === apis.length) throw error;
        down.push({ api, error });
        reportDown(context, { api, error }, flags.json === true);
        board.leaveOut(api.appliance);
      };
      const streams = apis.map(
        (api) =>
          [
            { api: api.name, appliance: api.appliance },
            untilDown(
              api.watch({ signal, ...pollIntervals(flags.interval), clock: context.clock, ...state?.resumeOptions(api.appliance) }),
              onDown(api),
            ),
          ] as const,
      );
      for await (const { tag: source, value: event } of mergeTagged(streams)) {
        board.apply(source.appliance, event, context.clock.now());
        output.event(source, event);
        // After the event is out: the saved state never claims an event that was not printed.
        state?.handled(source.appliance, event);
        if (flags.untilDone && event.type === 'polled' && board.settled) {
          done.abort();
          break;
        }
      }
    } finally {
      done.abort();
      output.stop();
      state?.save();
    }
    if (!flags.untilDone) return ExitCode.ok;
    const unsuccessful = board.unsuccessful;
    // A task that failed says more than an appliance that could not be asked; that one's status otherwise.
    if (unsuccessful.length === 0 && down.length > 0) return exitCodeFor(down[0]!.error);
    const err = context.colors.stderr;
    if (unsuccessful.length === 0) {
      if (!flags.json)
        context.io.stderr.write(
          `${err.green('✓')} ${board.tasks.length === 0 ? 'no tasks to wait for' : `all ${board.tasks.length} tasks succeeded`}\n`,
        );
      return ExitCode.ok;
    }
    if (!flags.json) {
      for (const task of unsuccessful) {
        const problem = problemOf(task);
        context.io.stderr.write(`${err.red('✗')} ${describeTask(task.snapshot)}: ${outcomeOf(task)}${problem ? ` · ${problem}` : ''}\n`);
      }
    }
    return ExitCode.taskFailed;
  });
}

export function watchCommand(context: Context, statuses: readonly string[], report: (code: ExitCode) => void): Command {
  const command = new Command('watch')
    .description('watch tasks move: a live view on a terminal, one line per change otherwise')
    .option('--until-done', 'exit once every task is finished: 0 if all succeeded, 1 if any failed or was cancelled')
    .option('--json', 'one JSON event per line (NDJSON)')
    .option(
      '--state <file>',
      'with --json: resume from FILE (created if missing) and keep it up to date, so a restarted watch prints only what changed meanwhile',
    );
  addFilterOptions(addIntervalOption(addConnectionOptions(command)), statuses);
  return command.action(async (flags: WatchFlags) => {
    report(await watch(flags, context));
  });
}
