import type { Simulator, SimulatorOptions } from '@vmtasks/simulator';
import { LockstepClock } from './lockstep-clock.js';
import { simulators } from './wave.js';

/**
 * For a test file: `start` starts a simulator on its manual clock, and the clock the CLI runs on
 * in lockstep with it; the simulator is stopped after the test.
 */
export function lockstepSimulators(): {
  start(options?: Omit<SimulatorOptions, 'clock'>): Promise<{ sim: Simulator; clock: LockstepClock }>;
} {
  const sims = simulators();
  return {
    start: async (options = {}) => {
      const sim = await sims.start({ ...options, clock: 'manual' });
      return { sim, clock: new LockstepClock(sim) };
    },
  };
}
