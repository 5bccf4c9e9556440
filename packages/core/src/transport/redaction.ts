import { TransportError, VmtasksError, type RequestSummary } from '../errors.js';
import { describeFailure } from './failure.js';
import { type Redactor, safeUrl } from '../redact.js';
import { headerEntries } from './call-options.js';
import type { PreparedRequest } from './types.js';

/**
 * The last step of every call, whatever ended it: one typed error (anything unexpected becomes a
 * `TransportError`), redacted with every secret the call knew — the client's, and those in the
 * headers it sent — so that no credential leaves in a message, URL, body or cause.
 */
export function finishError(
  redactor: Redactor,
  error: unknown,
  where: RequestSummary,
  ...headers: (PreparedRequest['headers'] | undefined)[]
): VmtasksError {
  const typed =
    error instanceof VmtasksError
      ? error
      : new TransportError(
          `${where.operation}: unexpected failure: ${describeFailure(error)}`,
          { ...where, url: safeUrl(where.url), attempts: 0 },
          { cause: error },
        );
  let withCallSecrets = redactor;
  for (const each of headers) if (each) withCallSecrets = withCallSecrets.withHeaders(headerEntries(each));
  return withCallSecrets.error(typed);
}
