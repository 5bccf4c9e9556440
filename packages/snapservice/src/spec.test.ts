// The spec says what the real API does: instances it never sends are rejected by its schemas.
// (Every example of every spec is checked by the spec-toolchain tests.)
import { loadSpecSchemas, specOf, type SpecSchemas } from '@vmtasks/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

describe('snapservice schemas', () => {
  let schemas: SpecSchemas;
  const info = {
    description: { id: 'm', default_message: 'Create', args: [] },
    service: 's',
    operation: 'o',
    status: 'RUNNING',
    cancelable: true,
  };
  beforeAll(async () => {
    schemas = await loadSpecSchemas(await specOf('snapservice'));
  });

  it('requires the fields that are always present', () => {
    for (const field of ['cancelable', 'description', 'operation', 'service', 'status']) {
      const { [field]: _removed, ...rest } = info as Record<string, unknown>;
      expect(schemas.check('TaskInfo', rest).errors.join(), field).toContain(`'${field}'`);
    }
  });

  it('rejects an unknown task status and an unknown vAPI error type', () => {
    expect(schemas.check('TaskInfo', { ...info, status: 'DONE' }).valid).toBe(false);
    expect(schemas.check('VapiError', { error_type: 'OOPS', messages: [] }).valid).toBe(false);
  });

  it('requires args on a localizable message, and types its params', () => {
    expect(schemas.check('LocalizableMessage', { id: 'm', default_message: 'x' }).valid).toBe(false);
    expect(schemas.check('LocalizableMessage', { id: 'm', default_message: 'x', args: [], params: { n: { i: 1.5 } } }).valid).toBe(false);
    expect(schemas.check('LocalizationParam', { format: 'SHORT_DATE', dt: '2024-01-01T00:00:00Z' }).valid).toBe(true);
    expect(schemas.check('LocalizationParam', { format: 'SOMETIME' }).valid).toBe(false);
  });

  it('rejects a non-integer progress count', () => {
    const message = { id: 'm', default_message: 'x', args: [] };
    expect(schemas.check('Progress', { total: 10, completed: 2.5, message }).valid).toBe(false);
  });
});
