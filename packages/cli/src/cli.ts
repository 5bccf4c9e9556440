// The process around `main`: signals, broken pipes, the exit status. Imported by bin/vmtasks.js.
import ansiEscapes from 'ansi-escapes';
import { processIO } from './io.js';
import { main, type StopReason } from './main.js';

const controller = new AbortController();

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

const code = await main(process.argv.slice(2), processIO(), controller.signal);
// Writes to terminals, files and pipes are synchronous on Linux, so nothing is lost by exiting
// here; open keep-alive sockets would otherwise hold the process for their idle timeout.
process.exit(code);
