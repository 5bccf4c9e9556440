/** A stream the CLI writes to: a terminal knows its size, a pipe or file does not. */
export type OutputStream = NodeJS.WritableStream & {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
};

/**
 * Everything a command touches outside itself. `main` gets the process's; a test passes its own
 * (a fixed-width "terminal", captured output, a chosen environment). Time is the context's clock.
 */
export interface IOStreams {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}

export function processIO(): IOStreams {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** True when stdout is a terminal a person is looking at (live view, cursor movement allowed). */
export function isTerminal(stream: OutputStream): boolean {
  return stream.isTTY === true;
}

/** The terminal's size, or a sensible default for one that does not say. */
export function terminalSize(stream: OutputStream): { width: number; height: number } {
  return { width: stream.columns || 80, height: stream.rows || 24 };
}

/**
 * Colour follows the conventions at https://no-color.org and FORCE_COLOR: NO_COLOR (any value)
 * turns it off, FORCE_COLOR turns it on (`0` or `false` off), otherwise a terminal that is not
 * `dumb` gets colour.
 */
export function colorEnabled(stream: OutputStream, env: IOStreams['env']): boolean {
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTerminal(stream) && env['TERM'] !== 'dumb';
}

/**
 * The same stream, with every known secret removed from what is written: the last line of
 * defence, so no message, echoed server text or stack can print one.
 */
export function redactingStream(stream: OutputStream, redactor: { text(value: string): string }): OutputStream {
  return new Proxy(stream, {
    get(target, property, receiver) {
      if (property === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => boolean).call(target, typeof chunk === 'string' ? redactor.text(chunk) : chunk, ...rest);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
