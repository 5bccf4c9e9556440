// Which task an id given on the command line stands for, and which API has it: a whole id, or a
// unique prefix of one as the table shows it cut short (as git and docker find a short id).
import type { WatchClock } from '@vmtasks/core';
import { UsageError } from '../exit-codes.js';
import { visible } from '../server-text.js';
import type { TaskApi } from '../sources.js';

/** A task id and the API that lists it. */
export interface Target {
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
  if (exact.length > 1)
    throw new UsageError(`task ${id} is listed by ${exact.map((api) => api.appliance).join(' and ')}; say which with --api (or --context)`);
  if (exact.length === 1) return { id, api: exact[0]! };
  const matches = apis.flatMap((api, i) => found[i]!.map((match) => ({ id: match, api })));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) return undefined;
  const shown = matches.slice(0, MATCHES_SHOWN).map((match) => `  ${match.api.appliance} ${visible(match.id)}`);
  const more = matches.length > MATCHES_SHOWN ? [`  … and ${matches.length - MATCHES_SHOWN} more`] : [];
  throw new UsageError(
    [`task id ${id} is ambiguous: ${matches.length} task ids start with it; give more of it:`, ...shown, ...more].join('\n'),
  );
}

/**
 * Finds the task each id (or unique prefix of one) stands for, and which API lists it, asking
 * every configured API. An id no API lists yet is asked for again, every `intervalMs`, for
 * `graceMs` (`wait`: as long as `waitForTask` itself would wait for a task to appear, as one just
 * started may be listed a moment later; `show` and `cancel`: not at all), on the command's clock.
 */
export async function locate(
  ids: readonly string[],
  apis: readonly TaskApi[],
  signal: AbortSignal,
  { intervalMs, graceMs, clock }: { intervalMs: number; graceMs: number; clock: WatchClock },
): Promise<Target[]> {
  const deadline = clock.now() + graceMs;
  return Promise.all(
    ids.map(async (id) => {
      for (;;) {
        const { found, failures } = await findEverywhere(id, apis, signal);
        const target = choose(id, apis, found);
        if (target) return target;
        // It may be on the appliance that could not be asked: that appliance's error, not "not listed".
        if (failures.length > 0) throw failures[0];
        const left = deadline - clock.now();
        if (left <= 0) {
          const hints = apis.flatMap((api) => (api.prefixHint ? [`; ${api.prefixHint}`] : []));
          throw new TaskNotListedError(`task ${id} is not listed by ${apis.map((a) => a.appliance).join(' or ')}${hints.join('')}`);
        }
        await clock.sleep(Math.min(intervalMs, left), signal);
      }
    }),
  );
}

/**
 * What each appliance finds for `id`, and the errors of those that could not be asked (down,
 * credentials refused): a task on another appliance of the fleet is still found.
 */
async function findEverywhere(
  id: string,
  apis: readonly TaskApi[],
  signal: AbortSignal,
): Promise<{ found: string[][]; failures: unknown[] }> {
  const results = await Promise.allSettled(apis.map((api) => api.find(id, signal)));
  signal.throwIfAborted();
  return {
    found: results.map((result) => (result.status === 'fulfilled' ? result.value : [])),
    failures: results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : [])),
  };
}

/** No configured API lists the task (before any waiting started). */
export class TaskNotListedError extends Error {
  override name = 'TaskNotFoundError';
}
