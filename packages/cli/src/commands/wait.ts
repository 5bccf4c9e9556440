import { Command } from 'commander';
import { DEFAULT_NOT_FOUND_GRACE_MS, type TaskSnapshot, type TransientFailure } from '@vmtasks/core';
import { TaskBoard, type ApplianceName } from '../board.js';
import type { Context } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { durationOption } from '../duration.js';
import { isTerminal } from '../io.js';
import { liveOutput } from '../outputs.js';
import { addConnectionOptions, addIntervalOption, pollIntervals, type CommonFlags } from '../options.js';
import { snapshotLine, troubleLine } from '../render/events.js';
import type { FrameOptions } from '../render/live.js';
import type { TaskApi } from '../sources.js';
import { locate, type Target } from './lookup.js';
import { titles, withApis } from './shared.js';

export interface WaitFlags extends CommonFlags {
  interval: number;
  timeout?: number;
}

/** Progress for people: the live view on a terminal, a line per change otherwise. */
async function progressOutput(
  context: Context,
  board: TaskBoard,
  title: FrameOptions['title'],
): Promise<{ snapshot(s: TaskSnapshot): void; trouble(api: ApplianceName, t: TransientFailure): void; stop(): void }> {
  const now = (): number => context.clock.now();
  if (isTerminal(context.io.stdout)) {
    const live = await liveOutput(context, board, title);
    return {
      snapshot: (snapshot) => {
        board.set(snapshot);
        live.refresh();
      },
      trouble: (api, event) => {
        board.apply(api, event, now());
        live.refresh();
      },
      stop: () => live.stop(),
    };
  }
  const colors = context.colors;
  return {
    snapshot: (snapshot) => {
      board.set(snapshot);
      context.io.stdout.write(`${snapshotLine(snapshot, now(), colors.stdout)}\n`);
    },
    trouble: (api, event) => context.io.stderr.write(`${troubleLine(api, event, now(), colors.stderr)}\n`),
    stop: () => {},
  };
}

/**
 * Follows the targets until every one succeeded, showing their progress; rejects with the first
 * task's typed error (failed, cancelled, gone, `--timeout`), which stops the other waits.
 */
export async function followTasks(
  context: Context,
  targets: readonly Target[],
  apis: readonly TaskApi[],
  flags: { interval: number; timeout?: number },
  what: string,
): Promise<void> {
  const controller = new AbortController();
  const signal = AbortSignal.any([context.signal, controller.signal]);
  const used = apis.filter((api) => targets.some((target) => target.api === api));
  const board = new TaskBoard(used.map((api) => api.appliance));
  const output = await progressOutput(context, board, titles(what, used));
  try {
    await Promise.all(
      targets.map(({ id, api }) =>
        api
          .wait(id, {
            signal,
            ...pollIntervals(flags.interval),
            clock: context.clock,
            ...(flags.timeout ? { maxWaitMs: flags.timeout } : {}),
            onProgress: (snapshot) => output.snapshot(snapshot),
            onTransientFailure: (notice) => output.trouble(api.appliance, notice),
          })
          .catch((error: unknown) => {
            // The first failure decides the outcome; the other waits stop.
            controller.abort();
            throw error;
          }),
      ),
    );
  } finally {
    output.stop();
  }
}

/**
 * `vmtasks wait <id…>`: blocks until every task succeeded (exit 0). The first task that fails,
 * is cancelled or cannot be followed ends the wait at once (exit 1), as does `--timeout` (124).
 */
export async function wait(ids: readonly string[], flags: WaitFlags, context: Context): Promise<ExitCode> {
  return withApis(context, flags, undefined, async (apis) => {
    const targets = await locate(ids, apis, context.signal, {
      intervalMs: flags.interval,
      graceMs: DEFAULT_NOT_FOUND_GRACE_MS,
      clock: context.clock,
    });
    const one = targets.length === 1 ? `task ${targets[0]!.id}` : undefined;
    await followTasks(context, targets, apis, flags, `Waiting for ${one ?? `${targets.length} tasks`}`);
    const err = context.colors.stderr;
    context.io.stderr.write(`${err.green('✓')} ${one ? `${one} succeeded` : `all ${targets.length} tasks succeeded`}\n`);
    return ExitCode.ok;
  });
}

export function addTimeoutOption(command: Command): Command {
  return command.option(
    '--timeout <duration>',
    'give up after this long (exit 124): seconds, or e.g. 90s, 30m, 2h, 1h30m',
    durationOption(),
  );
}

export function waitCommand(context: Context, report: (code: ExitCode) => void): Command {
  const command = new Command('wait')
    .description(
      'wait for tasks to finish: exit 0 when all succeeded, 1 when one failed or was cancelled, 4 when an appliance cannot be reached, 124 on timeout',
    )
    .argument('<id...>', 'task ids (Velostrata id value or snapservice task id), or unique prefixes of them');
  addIntervalOption(addTimeoutOption(addConnectionOptions(command)));
  return command.action(async (ids: string[], flags: WaitFlags) => report(await wait(ids, flags, context)));
}
