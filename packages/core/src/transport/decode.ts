import { type ApiError, MalformedResponseError, type RequestSummary } from '../errors.js';
import { keptBody, MAX_KEPT_BODY_CHARS, type Redactor, safeUrl } from '../redact.js';
import type { BufferedResponse, OperationSpec } from './types.js';

/** Decodes a final response: the documented JSON, the API's error, or `MalformedResponseError`. */
export function decodeResult<T, E extends ApiError>(spec: OperationSpec<T, E>, response: BufferedResponse, redactorFor: () => Redactor): T {
  const text = response.payload ? response.payload.toString('utf8') : '';
  if (response.status >= 200 && response.status <= 299) {
    if (text === '' && spec.withoutBody) return spec.withoutBody(response.status);
    try {
      const value: unknown = JSON.parse(text);
      if (spec.accepts(value)) return value;
    } catch {
      // Reported below, off the fast path.
    }
  }
  return failedResult(spec, response, text, redactorFor());
}

function failedResult<T, E extends ApiError>(
  spec: OperationSpec<T, E>,
  response: BufferedResponse,
  text: string,
  redactor: Redactor,
): never {
  const summary: RequestSummary = { operation: spec.operation, method: spec.method, url: safeUrl(response.url) };
  if (response.status < 200 || response.status > 299) {
    let body: unknown = text === '' ? undefined : keptBody(text, redactor);
    // A body too long to keep whole is kept as cut text; one that fits is decoded when it can be.
    if (text !== '' && text.length <= MAX_KEPT_BODY_CHARS) {
      try {
        body = redactor.value(JSON.parse(text));
      } catch {
        // Not JSON: the error keeps the (redacted) text.
      }
    }
    throw spec.toError(response.status, body, summary);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the body; the cause keeps only where it failed.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new MalformedResponseError(
      `${spec.operation}: HTTP ${response.status} response is not JSON`,
      { ...summary, status: response.status, rawBody: keptBody(text, redactor) },
      { cause: new SyntaxError(`invalid JSON${at ? ` at position ${at}` : ''} in a ${text.length}-character body`) },
    );
  }
  throw new MalformedResponseError(`${spec.operation}: HTTP ${response.status} response does not have the documented shape`, {
    ...summary,
    status: response.status,
    rawBody: keptBody(text, redactor),
  });
}
