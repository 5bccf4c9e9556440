import { VelostrataError } from '@vmtasks/velostrata';
import { expect, it } from 'vitest';
import { ApiError } from '@vmtasks/core';
import { ExitCode, UsageError } from './exit-codes.js';
import { describeError, exitCodeFor } from './exit.js';

const request = { operation: 'getActiveTasks', method: 'GET', url: 'http://127.0.0.1/velostrata/api/v42/tasks' };
const named = (name: string, message = name): Error => Object.assign(new Error(message), { name });

it('maps what ended a command onto the documented exit statuses', () => {
  expect(exitCodeFor(new UsageError('bad flag'))).toBe(ExitCode.usage);
  expect(exitCodeFor(named('ConfigurationError'))).toBe(ExitCode.usage);
  expect(exitCodeFor(new VelostrataError(401, {}, request))).toBe(ExitCode.credentials);
  expect(exitCodeFor(new ApiError('forbidden', { ...request, status: 403, body: undefined }))).toBe(ExitCode.credentials);
  expect(exitCodeFor(new ApiError('boom', { ...request, status: 500, body: undefined }))).toBe(ExitCode.taskFailed);
  expect(exitCodeFor(named('WaitTimeoutError'))).toBe(ExitCode.timeout);
  for (const name of ['TaskFailedError', 'TaskCancelledError', 'TaskNotFoundError', 'TaskOutcomeUnknownError']) expect(exitCodeFor(named(name))).toBe(ExitCode.taskFailed);
});

it('says which API refused the credentials and what to check', () => {
  expect(describeError(new VelostrataError(401, { message: 'Unauthorized' }, request))).toBe(
    'velostrata refused the credentials (HTTP 401): Unauthorized; check VELOSTRATA_USERNAME and VELOSTRATA_PASSWORD',
  );
});

it('says how to trust an appliance whose certificate is not trusted', () => {
  const error = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  expect(describeError(error)).toMatch(/^self-signed certificate; trust the appliance's CA with --velostrata-ca.*--insecure$/);
});
