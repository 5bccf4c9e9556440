// An appliance of several that cannot be asked (down, credentials refused) is shown as such while
// the others go on: a line on stderr, or an `appliance-down` record in `--json`.
import type { WatchEvent } from '@vmtasks/core';
import type { Context } from '../context.js';
import { describeError, exitCodeFor } from '../exit.js';
import { jsonText } from '../server-text.js';
import type { TaskApi } from '../sources.js';
import { UnreachableError } from '../unreachable.js';
import { BadAnswerError } from '../untrusted.js';

export interface DownAppliance {
  api: TaskApi;
  error: unknown;
}

/** `error: cannot reach vel-east at …` (the error names the appliance), or `error: vel-east: velostrata refused the credentials …`. */
export function downLine(context: Context, { api, error }: DownAppliance): string {
  const named = error instanceof UnreachableError || error instanceof BadAnswerError;
  return `${context.colors.stderr.red('error:')} ${named ? '' : `${api.appliance}: `}${describeError(error)}\n`;
}

/** Says that `down` could not be asked: the line on stderr, or with `json` a record on stdout among the events. */
export function reportDown(context: Context, down: DownAppliance, json: boolean): void {
  if (!json) {
    context.io.stderr.write(downLine(context, down));
    return;
  }
  const { api, error } = down;
  const record = {
    type: 'appliance-down',
    appliance: api.appliance,
    api: api.name,
    at: new Date(context.clock.now()).toISOString(),
    error: { name: error instanceof Error ? error.name : 'Error', message: describeError(error) },
    exitCode: exitCodeFor(error),
  };
  context.io.stdout.write(`${jsonText(record)}\n`);
}

/** The watch's events until it throws; then `onDown` decides: rethrow (ends every watch) or return (this one ends, the others go on). */
export async function* untilDown(events: AsyncIterable<WatchEvent>, onDown: (error: unknown) => void): AsyncGenerator<WatchEvent> {
  try {
    yield* events;
  } catch (error) {
    onDown(error);
  }
}
