import { spawn } from 'node:child_process';
import { BIN } from './terminal.js';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Only what a test gives: the outer environment may carry real appliances' settings. */
export const isolatedEnv = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries({ PATH: process.env['PATH'], ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** Runs the real `vmtasks` binary with pipes for stdout and stderr (not a terminal). */
export type Running = Promise<Finished> & { child: ReturnType<typeof spawn>; text(stream: 'stdout' | 'stderr'): string };

export function runVmtasks(args: readonly string[], env: Record<string, string | undefined>): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env: isolatedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
  child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return Object.assign(finished, { child, text: (stream: 'stdout' | 'stderr') => (stream === 'stdout' ? stdout : stderr) });
}

/** Resolves when `stream` has printed (so far, in all) text matching `pattern`: readiness, not sleeps. */
export function printed(running: Running, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const source = running.child[stream]!;
    const check = (): void => {
      if (!pattern.test(running.text(stream))) return;
      source.off('data', onData);
      resolve(running.text(stream));
    };
    // After the collector in runVmtasks has appended the chunk.
    const onData = (): void => void setImmediate(check);
    source.on('data', onData);
    running.child.once('close', () => setImmediate(() => reject(new Error(`exited before printing ${pattern}; printed:\n${running.text(stream)}`))));
    check();
  });
}
