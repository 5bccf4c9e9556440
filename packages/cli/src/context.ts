import { realClock, type WatchClock } from '@vmtasks/core';
import type { PrintedSecrets } from './credentials.js';
import type { IOStreams } from './io.js';
import wrapAnsi from 'wrap-ansi';
import { colorEnabled, isTerminal, terminalSize } from './io.js';
import { createColors, type Colors } from './render/colors.js';

/** What every command gets: its streams, colours for each, its clock, and the signal that ends it. */
export interface Context {
  io: IOStreams;
  /**
   * Every time a command reads (timestamps, elapsed times, deadlines) and every wait it takes
   * (poll intervals, the lookup's grace, `--timeout`): real time, or a test's manual clock.
   */
  clock: WatchClock;
  /** Aborted on Ctrl-C, SIGTERM, or when stdout's reader goes away (`| head`). */
  signal: AbortSignal;
  colors: { stdout: Colors; stderr: Colors };
  /** What every printed byte is scrubbed of; completed once the configuration is known. */
  secrets: PrintedSecrets;
}

export function createContext(io: IOStreams, signal: AbortSignal, secrets: PrintedSecrets, clock: WatchClock = realClock): Context {
  return {
    io,
    clock,
    signal,
    secrets,
    colors: { stdout: createColors(colorEnabled(io.stdout, io.env)), stderr: createColors(colorEnabled(io.stderr, io.env)) },
  };
}

/**
 * Writes a note to stderr: notes, warnings and errors never mix with the data on stdout. On a
 * terminal it is wrapped between words to the terminal's width (the terminal itself would break
 * `SNAPSERVICE_SERVICES` in two); in a pipe or log it stays one line.
 */
export function note(context: Context, text: string): void {
  const { stderr } = context.io;
  const line = `note: ${text}`;
  // Lines after the first are indented by 2, hence 2 columns less to wrap at.
  const lines = isTerminal(stderr) ? wrapAnsi(line, terminalSize(stderr).width - 2, { hard: false, trim: true }).split('\n') : [line];
  stderr.write(`${lines.map((each, i) => context.colors.stderr.dim(i === 0 ? each : `  ${each}`)).join('\n')}\n`);
}
