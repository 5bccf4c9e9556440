import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_REQUEST } from '../test-support/scripted-list.js';
import type { WatchClock } from './clock.js';
import type { WatchCheckpoint } from './checkpoint.js';
import type { WatchEvent } from './events.js';
import type { TaskSnapshot, TaskState } from './snapshot.js';
import { watchTasks, type TaskSource } from './watch.js';

/**
 * Property: a watch stopped anywhere (between two events, even in the middle of a poll) and
 * resumed from its checkpoint on the listings that follow announces exactly what an uninterrupted
 * watch of the same listings announces: the same transitions, in the same order, once each, and
 * so the same final listing. A restart that misses some listings is the same property on scripts
 * without them.
 */

type Listing = TaskSnapshot[];

/** One task's life: listed from `born` for `lifespan` listings, moving forward only. */
interface Life {
  born: number;
  lifespan: number;
  /** Per listing of its life: whether its progress moved. */
  moves: boolean[];
  /** How many listings after its birth it reaches its end, if it does. */
  finishAfter: number | undefined;
  end: TaskState;
  /** A finished task's text may still change (an end time filled in): no transition. */
  lateNote: boolean;
}

const LISTINGS = 8;

const life: fc.Arbitrary<Life> = fc.record({
  born: fc.nat(LISTINGS - 1),
  lifespan: fc.integer({ min: 1, max: LISTINGS }),
  moves: fc.array(fc.boolean(), { minLength: LISTINGS, maxLength: LISTINGS }),
  finishAfter: fc.option(fc.nat(LISTINGS), { nil: undefined }),
  end: fc.constantFrom<TaskState>('succeeded', 'failed', 'cancelled'),
  lateNote: fc.boolean(),
});

function snapshotAt(id: string, task: Life, age: number): TaskSnapshot {
  const moved = task.moves.slice(0, age + 1).filter(Boolean).length;
  const finished = task.finishAfter !== undefined && age >= task.finishAfter;
  const state: TaskState = finished ? task.end : age === 0 ? 'pending' : 'running';
  const snapshot: TaskSnapshot = { api: 'velostrata', id, state, progress: finished ? 1 : moved / LISTINGS };
  if (finished && task.lateNote && age > task.finishAfter!) snapshot.endedAt = '2026-11-23T11:00:00Z';
  return snapshot;
}

function listings(lives: readonly Life[]): Listing[] {
  return Array.from({ length: LISTINGS }, (_, i) =>
    lives.flatMap((task, n) => (i >= task.born && i < task.born + task.lifespan ? [snapshotAt(`t${n}`, task, i - task.born)] : [])),
  );
}

/** Waits take no time: the watch runs as fast as the test asks for events. */
function instantClock(): WatchClock {
  let now = Date.parse('2026-11-23T10:00:00Z');
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

/** A source that lists `script[from]`, `script[from + 1]`, … (the last one repeats). */
function scripted(script: readonly Listing[], from: number): TaskSource<TaskSnapshot> {
  let call = from;
  return {
    list: async () => script[Math.min(call++, script.length - 1)]!,
    toSnapshot: (snapshot) => snapshot,
    request: TEST_REQUEST,
  };
}

/** The first `count` events of a watch (or all of its first `rounds` polls), then its checkpoint. */
async function run(
  source: TaskSource<TaskSnapshot>,
  stop: { events?: number; rounds?: number },
  resumeFrom?: WatchCheckpoint,
): Promise<{ events: WatchEvent<TaskSnapshot>[]; checkpoint: WatchCheckpoint }> {
  const watch = watchTasks(source, { clock: instantClock(), minIntervalMs: 1_000, maxIntervalMs: 1_000, resumeFrom });
  const events: WatchEvent<TaskSnapshot>[] = [];
  let polls = 0;
  if (stop.events !== 0 && stop.rounds !== 0) {
    for await (const event of watch) {
      events.push(event);
      if (event.type === 'polled') polls++;
      if (events.length === stop.events || polls === stop.rounds) break;
    }
  }
  // Saved and read back as a file would be.
  return { events, checkpoint: JSON.parse(JSON.stringify(watch.checkpoint())) as WatchCheckpoint };
}

/** The transitions, as what they say about each task (the stand-in snapshots of a resume carry the state). */
const transitions = (events: readonly WatchEvent<TaskSnapshot>[]): string[] =>
  events.flatMap((e) => ('snapshot' in e ? [`${e.type} ${e.snapshot.id} ${e.snapshot.state}`] : []));

/** The listing the events describe: what was announced last for each task still listed. */
function rebuild(events: readonly WatchEvent<TaskSnapshot>[]): Map<string, TaskState> {
  const listed = new Map<string, TaskState>();
  for (const event of events) {
    if (event.type === 'disappeared') listed.delete(event.snapshot.id);
    else if ('snapshot' in event) listed.set(event.snapshot.id, event.snapshot.state);
  }
  return listed;
}

describe('resume (property)', () => {
  it('events before a checkpoint plus those after resuming are those of an uninterrupted watch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(life, { minLength: 1, maxLength: 6 }), fc.nat(200), async (lives, cut) => {
        const script = listings(lives);
        const whole = await run(scripted(script, 0), { rounds: LISTINGS });
        const stopAt = cut % (whole.events.length + 1);
        const before = await run(scripted(script, 0), { events: stopAt });
        // A restart in the middle of a poll lists that poll's answer again.
        const done = before.events.filter((e) => e.type === 'polled').length;
        const after = await run(scripted(script, done), { rounds: LISTINGS - done }, before.checkpoint);
        const resumed = [...before.events, ...after.events];
        expect(transitions(resumed)).toEqual(transitions(whole.events));
        expect(rebuild(resumed)).toEqual(rebuild(whole.events));
        expect(after.checkpoint).toEqual(whole.checkpoint);
      }),
      { numRuns: 300 },
    );
  });
});
