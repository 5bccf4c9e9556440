// The process around `main`: signals, broken pipes, the exit status. Imported by bin/vmtasks.js.
import ansiEscapes from 'ansi-escapes';
import { processIO } from './io.js';
import { main, type StopReason } from './main.js';

const controller = new AbortController();
/** How long the process may stay after its output is written, for anything still closing. */
const LINGER_MS = 2000;

/** Resolves once everything written to `stream` so far has left the process (or it failed). */
const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => (stream.writable ? stream.write('', () => resolve()) : resolve()));

function stopWith(reason: StopReason): void {
  if (!controller.signal.aborted) {
    controller.abort(reason);
    return;
  }
  // A second Ctrl-C or SIGTERM while shutting down: leave now, with the cursor back.
  if (reason !== 'EPIPE') {
    if (process.stdout.isTTY) process.stdout.write(ansiEscapes.cursorShow);
    process.exit(reason === 'SIGINT' ? 130 : 143);
  }
}

process.on('SIGINT', () => stopWith('SIGINT'));
process.on('SIGTERM', () => stopWith('SIGTERM'));
// `vmtasks watch | head`: the reader left. That ends the command quietly; it is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stopWith('EPIPE');
    else throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), processIO(), controller.signal);
// No process.exit(): a pipe to a slow reader still holds what was written (Node writes to pipes
// asynchronously once the kernel's buffer is full), and exiting would drop it. The process ends
// when the event loop is empty: main has closed the clients and stopped its timers. Should
// anything still hold it, leave once stdout and stderr have handed every byte to the system.
flushed(process.stdout)
  .then(() => flushed(process.stderr))
  .then(() => setTimeout(() => process.exit(), LINGER_MS).unref());
