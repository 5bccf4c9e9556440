import type { PrintedSecrets } from './credentials.js';
import type { IOStreams } from './io.js';
import { colorEnabled } from './io.js';
import { createColors, type Colors } from './render/colors.js';

/** What every command gets: its streams, colours for each, and the signal that ends it. */
export interface Context {
  io: IOStreams;
  /** Aborted on Ctrl-C, SIGTERM, or when stdout's reader goes away (`| head`). */
  signal: AbortSignal;
  colors: { stdout: Colors; stderr: Colors };
  /** What every printed byte is scrubbed of; completed once the configuration is known. */
  secrets: PrintedSecrets;
}

export function createContext(io: IOStreams, signal: AbortSignal, secrets: PrintedSecrets): Context {
  return {
    io,
    signal,
    secrets,
    colors: { stdout: createColors(colorEnabled(io.stdout, io.env)), stderr: createColors(colorEnabled(io.stderr, io.env)) },
  };
}

/** Writes a line to stderr: notes, warnings and errors never mix with the data on stdout. */
export function note(context: Context, text: string): void {
  context.io.stderr.write(`${context.colors.stderr.dim(`note: ${text}`)}\n`);
}
