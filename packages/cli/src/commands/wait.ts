import { Command } from 'commander';
import { DEFAULT_NOT_FOUND_GRACE_MS, realClock, type TaskSnapshot, type TransientFailure } from '@vmtasks/core';
import { TaskBoard, type ApiName } from '../board.js';
import type { Context } from '../context.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { visible } from '../server-text.js';
import { durationOption } from '../duration.js';
import { isTerminal } from '../io.js';
import { liveOutput } from '../outputs.js';
import { addConnectionOptions, addIntervalOption, pollIntervals, type CommonFlags } from '../options.js';
import { snapshotLine, troubleLine } from '../render/events.js';
import type { FrameOptions } from '../render/live.js';
import type { TaskApi } from '../sources.js';
import { titles, withApis } from './shared.js';

export interface WaitFlags extends CommonFlags {
  interval: number;
  timeout?: number;
}

/** A task id and the API that lists it. */
interface Target {
  id: string;
  api: TaskApi;
}

/** At most this many matches of an ambiguous prefix are named. */
const MATCHES_SHOWN = 10;

/**
 * The task an id stands for, from what each API found for it (`TaskApi.find`): a whole id
 * listed by one API, else the one id that starts with it; undefined when none does. Two APIs
 * listing the same id, or a prefix of several ids, is a usage error that names them.
 */
function choose(id: string, apis: readonly TaskApi[], found: readonly string[][]): Target | undefined {
  const exact = apis.filter((_, i) => found[i]!.includes(id));
  if (exact.length > 1) throw new UsageError(`task ${id} is listed by both APIs; say which with --api velostrata or --api snapservice`);
  if (exact.length === 1) return { id, api: exact[0]! };
  const matches = apis.flatMap((api, i) => found[i]!.map((match) => ({ id: match, api })));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) return undefined;
  const shown = matches.slice(0, MATCHES_SHOWN).map((match) => `  ${match.api.name} ${visible(match.id)}`);
  const more = matches.length > MATCHES_SHOWN ? [`  … and ${matches.length - MATCHES_SHOWN} more`] : [];
  throw new UsageError(
    [`task id ${id} is ambiguous: ${matches.length} task ids start with it; give more of it:`, ...shown, ...more].join('\n'),
  );
}

/**
 * Finds the task each id (or unique prefix of one) stands for, and which API lists it, asking
 * every configured API. An id no API lists yet is asked for again, every `intervalMs`, for as
 * long as `waitForTask` itself would wait for a task to appear: one just started may be listed
 * a moment later.
 */
async function locate(ids: readonly string[], apis: readonly TaskApi[], signal: AbortSignal, intervalMs: number): Promise<Target[]> {
  const deadline = realClock.now() + DEFAULT_NOT_FOUND_GRACE_MS;
  return Promise.all(
    ids.map(async (id) => {
      for (;;) {
        const target = choose(id, apis, await Promise.all(apis.map((api) => api.find(id, signal))));
        if (target) return target;
        const left = deadline - realClock.now();
        if (left <= 0) {
          const hints = apis.flatMap((api) => (api.prefixHint ? [`; ${api.prefixHint}`] : []));
          throw new TaskNotListedError(`task ${id} is not listed by ${apis.map((a) => a.name).join(' or ')}${hints.join('')}`);
        }
        await realClock.sleep(Math.min(intervalMs, left), signal);
      }
    }),
  );
}

/** No configured API lists the task (before any waiting started). */
class TaskNotListedError extends Error {
  override name = 'TaskNotFoundError';
}

/** Progress for people: the live view on a terminal, a line per change otherwise. */
async function progressOutput(
  context: Context,
  board: TaskBoard,
  title: FrameOptions['title'],
): Promise<{ snapshot(s: TaskSnapshot): void; trouble(api: ApiName, t: TransientFailure): void; stop(): void }> {
  const now = (): number => context.io.now();
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
 * `vmtasks wait <id…>`: blocks until every task succeeded (exit 0). The first task that fails,
 * is cancelled or cannot be followed ends the wait at once (exit 1), as does `--timeout` (124).
 */
export async function wait(ids: readonly string[], flags: WaitFlags, context: Context): Promise<ExitCode> {
  return withApis(context, flags, undefined, async (apis) => {
    const controller = new AbortController();
    const signal = AbortSignal.any([context.signal, controller.signal]);
    const targets = await locate(ids, apis, signal, flags.interval);
    const used = apis.filter((api) => targets.some((target) => target.api === api));
    const board = new TaskBoard(used.map((api) => api.name));
    const one = targets.length === 1 ? `task ${targets[0]!.id}` : undefined;
    const output = await progressOutput(context, board, titles(`Waiting for ${one ?? `${targets.length} tasks`}`, used));
    try {
      await Promise.all(
        targets.map(({ id, api }) =>
          api
            .wait(id, {
              signal,
              ...pollIntervals(flags.interval),
              ...(flags.timeout ? { maxWaitMs: flags.timeout } : {}),
              onProgress: (snapshot) => output.snapshot(snapshot),
              onTransientFailure: (notice) => output.trouble(api.name, notice),
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
    const err = context.colors.stderr;
    context.io.stderr.write(`${err.green('✓')} ${one ? `${one} succeeded` : `all ${targets.length} tasks succeeded`}\n`);
    return ExitCode.ok;
  });
}

export function waitCommand(context: Context, report: (code: ExitCode) => void): Command {
  const command = new Command('wait')
    .description(
      'wait for tasks to finish: exit 0 when all succeeded, 1 when one failed or was cancelled, 4 when an appliance cannot be reached, 124 on timeout',
    )
    .argument('<id...>', 'task ids (Velostrata id value or snapservice task id), or unique prefixes of them')
    .option('--timeout <duration>', 'give up after this long (exit 124): seconds, or e.g. 90s, 30m, 2h, 1h30m', durationOption());
  addIntervalOption(addConnectionOptions(command));
  return command.action(async (ids: string[], flags: WaitFlags) => report(await wait(ids, flags, context)));
}
