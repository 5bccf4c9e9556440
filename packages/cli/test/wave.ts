import { startSimulator, SNAPSERVICE_SERVICES, type Simulator, type SimulatorOptions } from '@vmtasks/simulator';
import { afterEach } from 'vitest';

// Finished Velostrata tasks stay listed for a simulated day: on a loaded machine a poll may come
// late (or `vmtasks` may start late), and a task must not finish and leave the list unseen.
export const RETAIN_FINISHED_MS = 86_400_000;

/** The environment that points vmtasks at a simulator, the built-in snapshot tasks' services included. */
export const envFor = (sim: Simulator): Record<string, string> => ({ ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') });

/**
 * For a test file: each test starts the simulator it needs (`start`, or `wave` for the built-in
 * wave, seeded, on a clock `speed` times real time); it is stopped after the test.
 */
export function simulators(): {
  start(options: SimulatorOptions): Promise<Simulator>;
  wave(speed: number): Promise<Record<string, string>>;
  readonly current: Simulator;
} {
  let current: Simulator | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  const start = async (options: SimulatorOptions): Promise<Simulator> => (current = await startSimulator(options));
  return {
    start,
    wave: async (speed) => envFor(await start({ clock: { speed }, seed: 3, retentionMs: RETAIN_FINISHED_MS })),
    get current() {
      if (!current) throw new Error('no simulator started in this test');
      return current;
    },
  };
}
