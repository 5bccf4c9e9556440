import { startSimulator, SNAPSERVICE_SERVICES, type Simulator, type SimulatorOptions } from '@vmtasks/simulator';
import { afterEach } from 'vitest';

// Finished Velostrata tasks stay listed for a simulated day: a watch that polls every few
// (simulated) seconds, backing off, still sees every task finish before it leaves the list.
export const RETAIN_FINISHED_MS = 86_400_000;

/** The environment that points vmtasks at a simulator, the built-in snapshot tasks' services included. */
export const envFor = (sim: Simulator): Record<string, string> => ({ ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') });

/** For a test file: each test starts the simulator it needs; it is stopped after the test. */
export function simulators(): { start(options: SimulatorOptions): Promise<Simulator> } {
  let current: Simulator | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return { start: async (options) => (current = await startSimulator(options)) };
}
