import { InvalidRequestError, type RequestSummary } from './errors.js';
import { isRecord, isWellFormed } from './util.js';

/**
 * A call argument a client refused while building the request; `invoke`
 * reports it as an `InvalidRequestError` naming the operation.
 */
export class ArgumentProblem extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks query parameters before they are serialized: each value a well-formed string, a
 * finite number or a boolean, or an array of those. Throws an `ArgumentProblem` naming the
 * parameter (`filter.status[1]`), which `invoke` reports as an `InvalidRequestError`.
 */
export function checkQuery(query: unknown, name: string): void {
  if (query === undefined || query === null) return;
  if (!isRecord(query)) throw new ArgumentProblem(name, `${name} must be an object, got ${Array.isArray(query) ? 'an array' : typeof query}`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) value.forEach((item, i) => checkScalar(item, `${name}.${key}[${i}]`));
    else checkScalar(value, `${name}.${key}`);
  }
}

function checkScalar(value: unknown, parameter: string): void {
  if (typeof value === 'string') {
    if (!isWellFormed(value)) throw new ArgumentProblem(parameter, `${parameter} is not well-formed Unicode (a lone surrogate) and cannot be put in a URL`);
    return;
  }
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return;
  const what = Array.isArray(value) ? 'a nested array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
  throw new ArgumentProblem(parameter, `${parameter} must be a string, a number or a boolean, got ${what}`);
}

/**
 * A query serializer for the `raw` openapi-fetch client that checks values first: openapi-fetch
 * would otherwise throw a bare `URIError` for a lone surrogate. Rejects with `InvalidRequestError`.
 */
export function checkedQuerySerializer<Q>(serialize: (query: Q) => string, where: RequestSummary): (query: Q) => string {
  return (query) => {
    try {
      checkQuery(query, 'query');
    } catch (error) {
      if (!(error instanceof ArgumentProblem)) throw error;
      throw new InvalidRequestError(`${where.operation}: ${error.message}`, { ...where, parameter: error.parameter });
    }
    return serialize(query);
  };
}
