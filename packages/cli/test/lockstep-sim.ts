import { startSimulator, type Simulator, type SimulatorOptions } from '@vmtasks/simulator';
import { afterEach } from 'vitest';
import { LockstepClock } from './lockstep-clock.js';

/**
 * For a test file: `start` starts a simulator on its manual clock, and the clock the CLI runs on
 * in lockstep with it; both are stopped after the test.
 */
export function lockstepSimulators(): {
  start(options?: Omit<SimulatorOptions, 'clock'>): Promise<{ sim: Simulator; clock: LockstepClock }>;
} {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.stop()));
  });
  return {
    start: async (options = {}) => {
      const sim = await startSimulator({ ...options, clock: 'manual' });
      started.push(sim);
      return { sim, clock: new LockstepClock(sim) };
    },
  };
}
