import { ApiError } from '@vmtasks/core';
import { TASK_APIS } from './apis/index.js';
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
    const api = TASK_APIS.find((each) => each.owns(error));
    if (!api) return `the appliance refused the credentials (HTTP ${error.status}): ${error.message}`;
    return `${api.name} refused the credentials (HTTP ${error.status}): ${error.message}; ${api.credentialFix}`;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    const flags = TASK_APIS.map((api) => api.ca.flag).join('/');
    const envs = TASK_APIS.map((api) => api.ca.env).join('/');
    return `${error.message}; trust the appliance's CA with ${flags} FILE (or ${envs}), or, in a lab only, pass --insecure`;
  }
  return error.message;
}
