import { VelostrataError } from '@vmtasks/velostrata';
import { ApiError } from '@vmtasks/core';
import { ExitCode, UsageError } from './exit-codes.js';
import { UnreachableError } from './unreachable.js';
import { BadAnswerError } from './untrusted.js';

const TASK_OUTCOMES = new Set(['TaskFailedError', 'TaskCancelledError', 'TaskNotFoundError', 'TaskOutcomeUnknownError']);

/** The documented exit status for an error that ended a command. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.usage;
  if (!(error instanceof Error)) return ExitCode.taskFailed;
  // Client option errors (a malformed URL, an unusable CA file) are configuration errors.
  if (error.name === 'ConfigurationError') return ExitCode.usage;
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return ExitCode.credentials;
  if (error instanceof UnreachableError) return ExitCode.unreachable;
  if (error instanceof BadAnswerError) return ExitCode.badAnswer;
  if (error.name === 'WaitTimeoutError') return ExitCode.timeout;
  if (TASK_OUTCOMES.has(error.name)) return ExitCode.taskFailed;
  return ExitCode.taskFailed;
}

/** One line saying what went wrong and, where there is one, what to do about it. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    const api = error instanceof VelostrataError ? 'velostrata' : 'snapservice';
    const fix =
      api === 'velostrata'
        ? 'check VELOSTRATA_USERNAME and VELOSTRATA_PASSWORD'
        : 'check SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD (or log in again and set SNAPSERVICE_SESSION_ID)';
    return `${api} refused the credentials (HTTP ${error.status}): ${error.message}; ${fix}`;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return `${error.message}; trust the appliance's CA with --velostrata-ca/--snapservice-ca FILE (or VELOSTRATA_CA_FILE/SNAPSERVICE_CA_FILE), or, in a lab only, pass --insecure`;
  }
  return error.message;
}
