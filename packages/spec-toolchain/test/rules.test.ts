import { describe, expect, it } from 'vitest';
import { parameterRules, renderParameterRules } from '../src/index.js';

const spec = (operation: Record<string, unknown>) => ({
  paths: {
    '/tasks': {
      get: {
        operationId: 'listTasks',
        parameters: [{ $ref: '#/components/parameters/Tasks' }, { name: 'services', in: 'query' }, { name: 'x-trace', in: 'header' }],
        ...operation,
      },
    },
  },
  components: { parameters: { Tasks: { name: 'tasks', in: 'query' } } },
});

describe('x-vmtasks-require-any-of', () => {
  it('becomes a typed constant next to the generated types', () => {
    expect(renderParameterRules(spec({ 'x-vmtasks-require-any-of': ['tasks', 'services'] }))).toContain(
      'export const parameterRules = {\n  "listTasks": { requireAnyOf: ["tasks","services"] },\n} as const;',
    );
    expect(renderParameterRules(spec({}))).toContain('export const parameterRules = {} as const;');
  });

  it('refuses a rule that names something other than a query parameter of the operation', () => {
    for (const name of ['task', 'x-trace']) {
      expect(() => parameterRules(spec({ 'x-vmtasks-require-any-of': ['tasks', name] }))).toThrow(
        `listTasks: x-vmtasks-require-any-of names ${name}, which is not a query parameter of the operation`,
      );
    }
  });

  it('refuses a malformed rule instead of generating a wrong one', () => {
    for (const bad of [[], 'tasks', [1], {}]) {
      expect(() => parameterRules(spec({ 'x-vmtasks-require-any-of': bad }))).toThrow(/listTasks: x-vmtasks-require-any-of must be a non-empty list/);
    }
  });
});
