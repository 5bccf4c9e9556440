import { describe, expect, it } from 'vitest';
import type { ManualClock } from './manual-clock.js';
import { caught } from './transitions.js';
import { followWave, type FollowWaveOptions } from './wave.js';

interface Snapshot {
  id: string;
  state: string;
}

/** A server on a manual clock whose one task runs for 10 s, then succeeds. */
function fakeServer() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const start = now;
  return {
    now: () => new Date(now),
    advance: async (ms: number) => {
      now += ms;
    },
    list: (): Snapshot[] => [{ id: 't1', state: now - start >= 10_000 ? 'succeeded' : 'running' }],
  };
}

const isTerminal = (state: string) => state === 'succeeded';
const polled = (count: number) => ({ type: 'polled' as const, count });

describe('followWave', () => {
  it('returns the recorder once the wave is over, with what the watch saw and what the server listed', async () => {
    const server = fakeServer();
    let closed = false;
    async function* watch(clock: ManualClock) {
      try {
        const [running] = server.list();
        yield { type: 'appeared' as const, snapshot: running as Snapshot };
        yield polled(1);
        await clock.sleep(10_000, new AbortController().signal);
        yield { type: 'finished' as const, snapshot: server.list()[0] as Snapshot, previous: running };
        yield polled(1);
        yield polled(1);
      } finally {
        closed = true;
      }
    }
    const transitions = await followWave(server, { list: server.list, isTerminal, watch, isOver: (_p, t) => t.allFinished });
    expect(closed).toBe(true); // the watch was closed, not left polling
    expect(transitions.seen).toEqual(transitions.truth);
    expect(transitions.truth.get('t1')?.map((s) => s.state)).toEqual(['running', 'succeeded']);
  });

  it('throws when the watch reports a task twice, ends early, or reports a transient failure', async () => {
    const twice = async function* () {
      const [running] = fakeServer().list() as [Snapshot];
      yield { type: 'appeared' as const, snapshot: running };
      yield { type: 'appeared' as const, snapshot: running };
    };
    const early = async function* () {
      yield polled(0);
    };
    const failing = async function* () {
      yield { type: 'transient-failure' as const, error: new Error('503 Service Unavailable') };
    };
    const follow = (watch: FollowWaveOptions<Snapshot>['watch']) => {
      const server = fakeServer();
      return caught(followWave(server, { list: server.list, isTerminal, watch, isOver: () => false }));
    };
    expect(await follow(twice)).toMatchObject({ message: expect.stringContaining('appeared twice') });
    expect(await follow(early)).toMatchObject({ message: expect.stringContaining('ended before') });
    expect(await follow(failing)).toMatchObject({ message: '503 Service Unavailable' });
  });
});
