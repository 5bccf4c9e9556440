import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError } from './errors.js';
import { ArgumentProblem, checkedQuery, checkedQuerySerializer, type QueryValues } from './query.js';

const allowed = ['tasks', 'status', 'users'];
const problem = (query: unknown): ArgumentProblem => {
  try {
    checkedQuery(query, 'filter', allowed);
  } catch (error) {
    if (error instanceof ArgumentProblem) return error;
    throw error;
  }
  throw new Error('accepted');
};
// What openapi-fetch's form serializer does with what it is given: every key `for…in` finds.
const formSerialize = (query: QueryValues): string => {
  const parts: string[] = [];
  for (const key in query) for (const value of [query[key]].flat()) parts.push(`${key}=${encodeURIComponent(String(value))}`);
  return parts.join('&');
};

describe('checkedQuery', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)['users'];
    delete (Array.prototype as unknown as Record<string, unknown>)['1'];
  });

  it('keeps own, allowed, string-valued parameters, arrays copied, null and undefined left out', () => {
    const query = checkedQuery({ tasks: ['t-1', 't-2'], status: 'RUNNING', users: undefined }, 'filter', allowed);
    expect(formSerialize(query)).toBe('tasks=t-1&tasks=t-2&status=RUNNING');
    expect(Object.getPrototypeOf(query)).toBeNull();
    expect(formSerialize(checkedQuery(undefined, 'filter', allowed))).toBe('');
  });

  it('never sends what the object inherits (a polluted Object.prototype or Array.prototype)', () => {
    (Object.prototype as Record<string, unknown>)['users'] = ['polluted'];
    expect(formSerialize(checkedQuery({ tasks: ['t-1'] }, 'filter', allowed))).toBe('tasks=t-1');
    (Array.prototype as unknown as Record<string, unknown>)['1'] = 'polluted';
    // biome-ignore lint/suspicious/noSparseArray: a hole is the point.
    expect(problem({ tasks: ['t-1', , 't-3'] })).toMatchObject({ parameter: 'filter.tasks[1]', message: /got a hole in the array/ });
  });

  it('refuses a parameter the operation does not have, showing its name inert', () => {
    expect(problem({ 'status&tasks=t-evil#': 'x' })).toMatchObject({
      parameter: 'filter.status&tasks=t-evil#',
      message: 'filter.status&tasks=t-evil# is not a parameter of this operation (tasks, status, users)',
    });
    expect(problem({ 'x\u001b[31m\r\n': 'x' }).message).toContain('filter.x\\x1b[31m\\r\\n is not a parameter');
  });

  it('refuses values that are not strings, naming the first one', () => {
    expect(problem({ status: [5] })).toMatchObject({
      parameter: 'filter.status[0]',
      message: 'filter.status[0] must be a string, got number',
    });
    expect(problem({ status: true }).message).toBe('filter.status must be a string or an array of strings, got boolean');
    expect(problem({ tasks: ['ok', '\uDC00'] }).message).toMatch(/filter\.tasks\[1\] is not well-formed/);
    expect(problem({ tasks: [['t']] }).message).toMatch(/got a nested array/);
    expect(problem({ tasks: { 0: 't' } }).message).toMatch(/got an object/);
    expect(problem(['x']).message).toBe('filter must be an object, got an array');
  });
});

describe('checkedQuerySerializer', () => {
  it('serializes only checked parameters, and refuses the rest with InvalidRequestError', () => {
    const serialize = checkedQuerySerializer(formSerialize, { operation: 'raw', method: 'GET', url: 'http://127.0.0.1' }, allowed);
    expect(serialize({ tasks: ['a b'] })).toBe('tasks=a%20b');
    expect(() => serialize({ 'tasks=x&evil': 'y' })).toThrow(InvalidRequestError);
    expect(() => serialize({ status: [5] })).toThrow(/query\.status\[0\] must be a string/);
  });
});
