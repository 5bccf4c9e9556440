import { InvalidRequestError, type RequestSummary } from './errors.js';
import { neutralize } from './neutralize.js';
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

/** Query parameters as the serializers take them: strings, or arrays of strings (repeated keys). */
export type QueryValues = Record<string, string | string[]>;

/**
 * Checks the query parameters of a call before anything is serialized, and returns what may be
 * sent: a copy holding only the object's own keys (an `Object.prototype.users` set elsewhere in
 * an app is not a parameter), each one of `allowed` (the operation's parameters, as the spec
 * names them: an unknown key could carry `&`, `=` or `#` into the URL), each value a
 * well-formed string or an array of them (undefined and null are left out). The copy has no
 * prototype, so a serializer's `for…in` sees nothing else. Anything else throws an
 * `ArgumentProblem` naming the parameter (`filter.status[1]`), which `invoke` reports as an
 * `InvalidRequestError`.
 */
export function checkedQuery(query: unknown, name: string, allowed: readonly string[]): QueryValues {
  const checked: QueryValues = Object.create(null) as QueryValues;
  if (query === undefined || query === null) return checked;
  if (!isRecord(query))
    throw new ArgumentProblem(name, `${name} must be an object, got ${Array.isArray(query) ? 'an array' : typeof query}`);
  for (const key of Object.keys(query)) {
    const value: unknown = query[key];
    if (value === undefined || value === null) continue;
    if (!allowed.includes(key)) {
      const parameter = `${name}.${neutralize(key)}`;
      throw new ArgumentProblem(parameter, `${parameter} is not a parameter of this operation (${allowed.join(', ')})`);
    }
    if (!Array.isArray(value)) {
      checked[key] = checkString(value, `${name}.${key}`);
      continue;
    }
    // Own elements only, read by index: a hole would be filled from Array.prototype.
    checked[key] = Array.from({ length: value.length }, (_, i) =>
      checkString(Object.hasOwn(value, i) ? value[i] : HOLE, `${name}.${key}[${i}]`),
    );
  }
  return checked;
}

const HOLE = Symbol('hole');

function checkString(value: unknown, parameter: string): string {
  if (typeof value === 'string') {
    if (!isWellFormed(value))
      throw new ArgumentProblem(parameter, `${parameter} is not well-formed Unicode (a lone surrogate) and cannot be put in a URL`);
    return value;
  }
  const what =
    value === HOLE
      ? 'a hole in the array'
      : Array.isArray(value)
        ? 'a nested array'
        : value === null
          ? 'null'
          : typeof value === 'object'
            ? 'an object'
            : typeof value;
  throw new ArgumentProblem(
    parameter,
    `${parameter} must be a string${parameter.endsWith(']') ? '' : ' or an array of strings'}, got ${what}`,
  );
}

/**
 * A query serializer for the `raw` openapi-fetch client that checks values first (see
 * `checkedQuery`; openapi-fetch would walk inherited keys, send any key as it is, and throw a
 * bare `URIError` for a lone surrogate). `allowed` is every query parameter of the API's
 * operations. Rejects with `InvalidRequestError`.
 */
export function checkedQuerySerializer(
  serialize: (query: QueryValues) => string,
  where: RequestSummary,
  allowed: readonly string[],
): (query: unknown) => string {
  return (query) => {
    let checked: QueryValues;
    try {
      checked = checkedQuery(query, 'query', allowed);
    } catch (error) {
      if (!(error instanceof ArgumentProblem)) throw error;
      throw new InvalidRequestError(`${where.operation}: ${error.message}`, { ...where, parameter: error.parameter });
    }
    return serialize(checked);
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
