import { ManualClock } from './manual-clock.js';
import { TransitionRecorder } from './transitions.js';

interface SnapshotLike {
  id: string;
  state: string;
}

/** The events a client's `watchTasks` yields, as far as following a wave needs them. */
type WaveEvent<S> =
  | { type: 'appeared' | 'changed' | 'finished' | 'disappeared'; snapshot: S; previous?: S | undefined }
  | { type: 'polled'; count: number }
  | { type: 'transient-failure'; error: Error }
  | { type: 'stalled' }
  | { type: 'recovered' };

export interface FollowWaveOptions<S extends SnapshotLike> {
  /** What the server lists right now, as snapshots: the truth the watch is checked against. */
  list(): Iterable<S>;
  isTerminal(state: S['state']): boolean;
  /** Starts the watch on the clock it is given. */
  watch(clock: ManualClock): AsyncIterable<WaveEvent<S>>;
  /** Asked after every poll: is the wave over (e.g. every task finished, and gone if the API drops them)? */
  isOver(polled: { count: number }, transitions: TransitionRecorder<S>): boolean;
}

/**
 * Watches a simulator on its manual clock until the wave is over, sampling what it lists after
 * every clock step (when the watch polls) and recording every event the watch reports. A
 * transient failure is thrown: a wave on the simulator has none unless a test injects them.
 * The recorder holds the verdict: `seen` must equal `truth`.
 */
export async function followWave<S extends SnapshotLike>(
  sim: { now(): Date; advance(ms: number): Promise<void> },
  options: FollowWaveOptions<S>,
): Promise<TransitionRecorder<S>> {
  const transitions = new TransitionRecorder<S>(options.isTerminal);
  const sample = () => transitions.sample(options.list());
  const clock = ManualClock.following(sim, sample);
  sample();
  const events = options.watch(clock)[Symbol.asyncIterator]();
  let failure: unknown;
  try {
    for (;;) {
      const next = await clock.settle(events.next());
      if (next.done) throw new Error('the watch ended before the wave was over');
      const event = next.value;
      if (event.type === 'transient-failure') throw event.error;
      // Only after failures, which end the test above.
      if (event.type === 'stalled' || event.type === 'recovered') continue;
      if (event.type !== 'polled') transitions.record(event);
      else if (options.isOver(event, transitions)) return transitions;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // Closing the watch must not hide why following it failed.
    await Promise.resolve(events.return?.()).catch((error: unknown) => {
      if (failure === undefined) throw error;
    });
  }
}
