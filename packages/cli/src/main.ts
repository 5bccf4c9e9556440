import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { taskStatusValues } from '@vmtasks/snapservice';
import { Redactor } from '@vmtasks/core';
import { createContext } from './context.js';
import { ExitCode } from './exit-codes.js';
import { describeError, exitCodeFor } from './exit.js';
import { redactingStream, type IOStreams } from './io.js';
import { buildProgram } from './program.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Why a run was stopped from outside. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'EPIPE';

const STOP_CODES: Record<StopReason, ExitCode> = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated, EPIPE: ExitCode.ok };

/** The environment variables that carry secrets: whatever is printed is scrubbed of their values. */
const SECRET_ENV = ['VELOSTRATA_PASSWORD', 'SNAPSERVICE_PASSWORD', 'SNAPSERVICE_SESSION_ID', 'SNAPSERVICE_AUTHORIZATION'] as const;

/**
 * Runs `vmtasks` with `argv` (without node and the script) and returns the exit status. `stop`
 * aborts a running command from outside (signals, a closed pipe): it ends quietly with the
 * status that stop stands for.
 */
export async function main(argv: readonly string[], raw: IOStreams, stop: AbortSignal): Promise<number> {
  const secrets = SECRET_ENV.map((name) => raw.env[name]);
  const authorizationToken = /token="([^"]+)"/.exec(raw.env['SNAPSERVICE_AUTHORIZATION'] ?? '')?.[1];
  const [snapserviceUser, snapservicePassword] = [raw.env['SNAPSERVICE_USERNAME'], raw.env['SNAPSERVICE_PASSWORD']];
  // The snapservice login also in the Basic forms it is sent in (as the client redacts it).
  const redactor =
    snapserviceUser && snapservicePassword
      ? Redactor.forBasicAuth(snapserviceUser, snapservicePassword, [...secrets, authorizationToken])
      : new Redactor([...secrets, authorizationToken]);
  const io: IOStreams = { ...raw, stdout: redactingStream(raw.stdout, redactor), stderr: redactingStream(raw.stderr, redactor) };
  const context = createContext(io, stop);
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
