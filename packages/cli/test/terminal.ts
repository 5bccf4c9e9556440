import { spawn } from 'node:child_process';
import path from 'node:path';
import { HeadlessScreen } from './screen.js';

/** The built `vmtasks` entry point, as an installed package's bin runs it. */
export const BIN = path.join(import.meta.dirname, '../bin/vmtasks.js');

const quote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

export interface TerminalSession {
  /** The visible screen, one string per row, trailing spaces removed. */
  screen(): string[];
  /** Every byte the program wrote to its terminal. */
  raw(): string;
  /** Resolves with the screen once `test` holds for it (checked after each write), or rejects after `timeoutMs`. */
  waitFor(test: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Types keys into the terminal (`\x03` is Ctrl-C). */
  type(keys: string): void;
  /** The program's exit status. */
  exited: Promise<number | null>;
  kill(): void;
}

/**
 * Runs `vmtasks` in a real pseudo-terminal of the given size (util-linux `script`, always on
 * Debian) and feeds what it writes into a headless xterm of the same size: the screen is what
 * a person would see, escape sequences applied.
 */
export function runInTerminal(
  args: readonly string[],
  options: { env: Record<string, string>; columns: number; rows: number },
): TerminalSession {
  const command = `stty cols ${options.columns} rows ${options.rows} && exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
    env: { PATH: process.env['PATH'] ?? '', TERM: 'xterm-256color', ...options.env },
    // stdin stays open: script forwards what is typed, and an EOF would end the session.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const display = new HeadlessScreen(options.columns, options.rows);
  child.stdout.setEncoding('utf8').on('data', (data: string) => display.write(data));
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

  return {
    screen: () => display.lines(),
    raw: () => display.raw(),
    waitFor: (test, timeoutMs = 30_000) => display.waitFor(test, timeoutMs),
    type: (keys) => child.stdin.write(keys),
    exited: exited.then(async (code) => {
      await display.settled();
      return code;
    }),
    kill: () => child.kill('SIGKILL'),
  };
}
