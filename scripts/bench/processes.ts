import { run } from '@vmtasks/spec-toolchain';

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion, timing it (wall clock). */
export async function runTimed(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Finished> {
  const started = performance.now();
  const result = await run(command, args, options.cwd ?? process.cwd(), { TURBO_TELEMETRY_DISABLED: '1', ...options.env });
  return { ...result, ms: performance.now() - started };
}

/** Runs and insists on success, so a broken step never turns into a fast "measurement". */
export async function mustRun(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Finished> {
  const result = await runTimed(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
  }
  return result;
}

export function peakRssMiB(stderr: string): number {
  const match = /vmtasks-bench-maxrss-kib (\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak memory reported:\n${stderr.slice(-500)}`);
  return Number(match[1]) / 1024;
}
