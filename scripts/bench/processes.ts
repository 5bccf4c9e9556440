import { run } from '@vmtasks/spec-toolchain/test-workspace';

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

/**
 * Like mustRun, and also counts the CPU time (user + system) of the command and every process it
 * started, through the shell's `times` (Node reports no child's CPU time): on a machine loaded by
 * other jobs, wall time follows the share of the cores a run gets, CPU time what it costs.
 */
export async function mustRunCounted(
  command: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<Finished & { cpuMs: number }> {
  const result = await mustRun('sh', ['-c', '"$@"; status=$?; times >&2; exit $status', 'sh', command, ...args], options);
  // `times` prints the shell's own times, then its children's: "0m1.230s 0m0.140s".
  const children = result.stderr.trimEnd().split('\n').at(-1) ?? '';
  const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(children.trim());
  if (!match) throw new Error(`no CPU times from the shell:\n${result.stderr.slice(-500)}`);
  const [, um, us, sm, ss] = match.map(Number) as [number, number, number, number, number];
  return { ...result, cpuMs: (um * 60 + us + sm * 60 + ss) * 1000 };
}

export function peakRssMiB(stderr: string): number {
  const match = /vmtasks-bench-maxrss-kib (\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak memory reported:\n${stderr.slice(-500)}`);
  return Number(match[1]) / 1024;
}
