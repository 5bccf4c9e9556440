import { Command } from 'commander';
import type { Context } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { parsePositiveNumber } from '../options.js';

export interface SimulateFlags {
  speed: number;
  seed?: number;
}

/**
 * `vmtasks simulate`: both simulated appliances in the foreground, and the `export` lines that
 * point a second terminal's `vmtasks` at them. Runs until Ctrl-C or SIGTERM.
 */
export async function simulate(flags: SimulateFlags, context: Context): Promise<ExitCode> {
  // Loaded here only: the other commands do not pay for the simulator's start-up.
  const { startSimulator, exportLines } = await import('@vmtasks/simulator');
  const simulator = await startSimulator({ clock: { speed: flags.speed }, ...(flags.seed !== undefined ? { seed: flags.seed } : {}) });
  try {
    const { stdout, stderr } = context.io;
    // The same lines as `npm run simulate`, SNAPSERVICE_SERVICES included.
    stdout.write(exportLines(simulator));
    stderr.write(
      context.colors.stderr.dim(
        `Simulated Velostrata and snapservice appliances at ${flags.speed}× speed (these credentials are the simulator's own).\n` +
          'Paste the lines above into another terminal, then run `vmtasks watch`. Ctrl-C stops the simulator.\n',
      ),
    );
    await new Promise<void>((resolve) => {
      if (context.signal.aborted) resolve();
      context.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await simulator.stop();
  }
  return ExitCode.ok;
}

export function simulateCommand(context: Context, report: (code: ExitCode) => void): Command {
  return new Command('simulate')
    .description('run simulated appliances whose tasks move, and print the export lines to use them')
    .option('--speed <factor>', 'how much faster than real time the simulated clock runs', parsePositiveNumber, 1)
    .option('--seed <number>', 'seed for the simulated wave (same seed, same tasks)', (text) => Math.trunc(parsePositiveNumber(text)))
    .action(async (flags: SimulateFlags) => report(await simulate(flags, context)));
}
