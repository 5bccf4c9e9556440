import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { realClock, type WatchClock } from '@vmtasks/core';
import { taskStatusValues } from '@vmtasks/snapservice';
import { createContext } from './context.js';
import { credentialRedactor, envCredentials, PrintedSecrets } from './credentials.js';
import { ExitCode } from './exit-codes.js';
import { describeError, exitCodeFor } from './exit.js';
import { redactingStream, type IOStreams } from './io.js';
import { buildProgram } from './program.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Why a run was stopped from outside. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'EPIPE';

const STOP_CODES: Record<StopReason, ExitCode> = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated, EPIPE: ExitCode.ok };

/**
 * Runs `vmtasks` with `argv` (without node and the script) and returns the exit status. `stop`
 * aborts a running command from outside (signals, a closed pipe): it ends quietly with the
 * status that stop stands for. `clock` is where commands read the time and wait (a test passes a
 * manual one; as gh's commands get `Now`).
 */
export async function main(argv: readonly string[], raw: IOStreams, stop: AbortSignal, clock: WatchClock = realClock): Promise<number> {
  // Whatever is printed is scrubbed of the secrets in the environment, in every form the clients
  // know; withApis adds the configuration's (the user name may come from a flag).
  const secrets = new PrintedSecrets(credentialRedactor(envCredentials(raw.env)));
  const io: IOStreams = { ...raw, stdout: redactingStream(raw.stdout, secrets), stderr: redactingStream(raw.stderr, secrets) };
  const context = createContext(io, stop, secrets, clock);
  let code: number = ExitCode.ok;
  const program = buildProgram(context, version, taskStatusValues, (result) => (code = result));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return stop.aborted ? STOP_CODES[stop.reason as StopReason] : code;
  } catch (error) {
    if (stop.aborted) return STOP_CODES[stop.reason as StopReason] ?? ExitCode.interrupted;
    if (error instanceof CommanderError) {
      // Help and version are successes; every other parse error is a usage error.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
        ? ExitCode.ok
        : ExitCode.usage;
    }
    io.stderr.write(`${context.colors.stderr.red('error:')} ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}
