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
export function runVmtasks(args: readonly string[], env: Record<string, string | undefined>): Promise<Finished> & { child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: isolatedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
  child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return Object.assign(finished, { child });
}

/** Resolves when `stream` has printed text matching `pattern` (readiness, not sleeps). */
export function printed(child: ReturnType<typeof spawn>, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const source = child[stream]!;
    const onData = (data: Buffer | string): void => {
      text += data.toString();
      if (pattern.test(text)) {
        source.off('data', onData);
        resolve(text);
      }
    };
    source.on('data', onData);
    child.once('close', () => reject(new Error(`exited before printing ${pattern}; printed:\n${text}`)));
  });
}
