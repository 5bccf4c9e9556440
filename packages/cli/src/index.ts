// @vmtasks/cli: the `vmtasks` command (bin/vmtasks.js). Programmatic entry for embedding and tests.
export { main, type StopReason } from './main.js';
export { ExitCode, UsageError } from './exit-codes.js';
export { processIO, type IOStreams, type OutputStream } from './io.js';
