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

/**
 * Checks a rule between query parameters that OpenAPI cannot state, as a spec gives it in
 * `x-vmtasks-require-any-of` (emitted as `parameterRules` in the generated types): at least one
 * of `names` must be present with at least one value. Throws an `ArgumentProblem` naming the rule.
 */
export function checkRequireAnyOf(query: unknown, names: readonly string[], name: string): void {
  const present = (key: string): boolean => {
    const value = isRecord(query) ? query[key] : undefined;
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== '';
  };
  if (names.some(present)) return;
  const list = names.map((key) => `\`${key}\``).join(' or ');
  throw new ArgumentProblem(
    name,
    `${name} must name ${list} (a non-empty array of at least one of them): the server refuses a list without ${names.length > 1 ? 'any of them' : 'it'}`,
  );
}
