import { Writable } from 'node:stream';
import type { IOStreams, OutputStream } from '../src/io.js';
import { main } from '../src/main.js';

export type CapturedStream = OutputStream & { text(): string };

/** A stream that keeps what is written; with `columns`, it claims to be a terminal of that size. */
export function captureStream(terminal?: { columns: number; rows: number }): CapturedStream {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, terminal ? { isTTY: true, ...terminal } : {}, { text: () => chunks.join('') });
}

export function fakeIO(
  env: Record<string, string>,
  terminal?: { columns: number; rows: number },
): IOStreams & { stdout: CapturedStream; stderr: CapturedStream } {
  return { stdout: captureStream(terminal), stderr: captureStream(terminal), env };
}

/** Runs `vmtasks` in-process with `argv`, a chosen environment and captured output (a terminal of that size when given). */
export async function runMain(
  argv: readonly string[],
  env: Record<string, string> = {},
  terminal?: { columns: number; rows: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = fakeIO(env, terminal);
  const code = await main(argv, io, new AbortController().signal);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}
