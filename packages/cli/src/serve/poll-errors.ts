import { ApiError, MalformedResponseError, TimeoutError, TransportError } from '@vmtasks/core';
import { UnreachableError } from '../unreachable.js';
import { BadAnswerError } from '../untrusted.js';

/** The `kind` label of `vmtasks_poll_errors_total`: a fixed set, so a failing appliance cannot invent series. */
export const POLL_ERROR_KINDS = [
  'unreachable',
  'timeout',
  'credentials',
  'rate-limited',
  'server-error',
  'bad-answer',
  'client-error',
  'other',
] as const;
export type PollErrorKind = (typeof POLL_ERROR_KINDS)[number];

/** Which kind of trouble a failed poll (or a watch ended by an error) was. */
export function pollErrorKind(error: unknown): PollErrorKind {
  const cause = error instanceof UnreachableError ? error.cause : error;
  if (cause instanceof TimeoutError) return 'timeout';
  if (cause instanceof TransportError) return 'unreachable';
  if (cause instanceof BadAnswerError || cause instanceof MalformedResponseError) return 'bad-answer';
  if (cause instanceof ApiError) {
    if (cause.status === 401 || cause.status === 403) return 'credentials';
    if (cause.status === 429) return 'rate-limited';
    if (cause.status === 502 || cause.status === 503 || cause.status === 504) return 'unreachable';
    if (cause.status >= 500) return 'server-error';
    return 'client-error';
  }
  return 'other';
}
