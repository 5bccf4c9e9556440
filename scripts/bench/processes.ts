import { spawn } from 'node:child_process';

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion, timing it (wall clock). */
export function runTimed(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', TURBO_TELEMETRY_DISABLED: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, ms: performance.now() - started }));
  });
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
