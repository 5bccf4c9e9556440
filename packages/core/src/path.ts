import { ArgumentProblem } from './query.js';
import { isWellFormed } from './util.js';

/**
 * One path parameter, encoded for the URL (`/tasks/{taskId}`). Throws an `ArgumentProblem`
 * (a typed `InvalidRequestError` once inside `Transport.invoke`) for anything but a non-empty,
 * well-formed string: an id must never turn into another path (`..`, `a/b` are encoded, not
 * walked; `.` and `..` are refused) or an empty segment that would name the collection instead.
 */
export function pathSegment(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || value === '')
    throw new ArgumentProblem(parameter, `${parameter} must be a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
  if (!isWellFormed(value))
    throw new ArgumentProblem(parameter, `${parameter} is not well-formed Unicode (a lone surrogate) and cannot be put in a URL`);
  // The URL parser walks `.` and `..` even percent-encoded (%2E%2E): such an id would name another resource.
  if (value === '.' || value === '..') throw new ArgumentProblem(parameter, `${parameter} cannot be "${value}" (a path step, not an id)`);
  return encodeURIComponent(value);
}
