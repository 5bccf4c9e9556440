import { Writable } from 'node:stream';
import type { WatchClock } from '@vmtasks/core';
import type { IOStreams, OutputStream } from '../src/io.js';
import { main, type StopReason } from '../src/main.js';
import { HeadlessScreen } from './screen.js';

/** What a run printed on each stream, and its exit status. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `vmtasks` running in-process, as `main` runs it for the real process. */
export interface InProcessRun {
  /** Resolves when `main` returns. */
  finished: Promise<Outcome>;
  text(stream: 'stdout' | 'stderr'): string;
  /** Resolves once `stream` has printed (so far, in all) text matching `pattern`, checked after each write. */
  printed(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string>;
  /** Stops the run as the process does on a signal or a closed pipe. */
  stop(reason: StopReason): void;
  /** On a terminal: what it shows, stdout and stderr both written to it. */
  screen: HeadlessScreen | undefined;
}

class Captured extends Writable {
  text = '';
  readonly #listeners = new Set<() => void>();
  readonly #screen: HeadlessScreen | undefined;

  constructor(screen: HeadlessScreen | undefined) {
    super({ decodeStrings: false });
    this.#screen = screen;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = chunk.toString();
    this.text += text;
    // A terminal's line discipline turns each newline into carriage return and line feed.
    this.#screen?.write(text.replaceAll('\n', '\r\n'));
    this.#listeners.forEach((listener) => listener());
    callback();
  }

  printed(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!pattern.test(this.text)) return;
        this.#listeners.delete(check);
        resolve(this.text);
      };
      this.#listeners.add(check);
      check();
    });
  }
}

/**
 * Runs `vmtasks argv` in this process with `env` as its whole environment, `clock` as its time,
 * and its output captured; with `terminal`, both streams are one terminal of that size (a
 * headless xterm shows what a person would see).
 */
export function runInProcess(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  clock: WatchClock,
  terminal?: { columns: number; rows: number },
): InProcessRun {
  const screen = terminal && new HeadlessScreen(terminal.columns, terminal.rows);
  const stream = (): Captured & OutputStream => Object.assign(new Captured(screen), terminal ? { isTTY: true, ...terminal } : {});
  const stdout = stream();
  const stderr = stream();
  const io: IOStreams = { stdout, stderr, env };
  const stop = new AbortController();
  const finished = main(argv, io, stop.signal, clock).then(async (code) => {
    await screen?.settled();
    return { code, stdout: stdout.text, stderr: stderr.text };
  });
  return {
    finished,
    text: (which) => (which === 'stdout' ? stdout : stderr).text,
    printed: (which, pattern) =>
      Promise.race([
        (which === 'stdout' ? stdout : stderr).printed(pattern),
        finished.then((outcome) => {
          // The run may have printed it with its last write: only a run that ended without it fails.
          if (pattern.test(outcome[which])) return outcome[which];
          throw new Error(`ended (exit ${outcome.code}) before printing ${pattern} on ${which}:\n${outcome[which]}`);
        }),
      ]),
    stop: (reason) => stop.abort(reason),
    screen,
  };
}
