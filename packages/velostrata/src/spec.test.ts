// The spec says what the real API does: instances it never sends are rejected by its schemas.
// (Every example of every spec is checked by the spec-toolchain tests.)
import { loadSpecSchemas, specOf, type SpecSchemas } from '@vmtasks/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

describe('velostrata schemas', () => {
  let schemas: SpecSchemas;
  const task = { id: { value: 't-1', _type: 'TaskId' }, state: 'Running', progress: 10, taskType: 'RunVmInCloud' };
  const page = (content: unknown[]): unknown => ({ _type: 'TaskDescriptionPage', content });
  beforeAll(async () => {
    schemas = await loadSpecSchemas(await specOf('velostrata'));
  });

  it('accepts a well-formed page', () => {
    expect(schemas.check('TaskDescriptionPage', page([task])).errors).toEqual([]);
  });

  it('rejects an unknown task state', () => {
    const result = schemas.check('TaskDescriptionPage', page([{ ...task, state: 'Exploded' }]));
    expect(result.valid).toBe(false);
    expect(result.errors.join()).toContain('/content/0/state');
  });

  it('rejects a non-integer progress, and one beyond int32', () => {
    expect(schemas.check('TaskDescription', { ...task, progress: 12.5 }).valid).toBe(false);
    expect(schemas.check('TaskDescription', { ...task, progress: '12' }).valid).toBe(false);
    expect(schemas.check('TaskDescription', { ...task, progress: 2 ** 31 }).valid).toBe(false);
  });

  it('rejects a missing or wrong _type discriminator', () => {
    expect(schemas.check('TaskDescriptionPage', { content: [] }).errors.join()).toContain("must have required property '_type'");
    expect(schemas.check('TaskDescription', { ...task, id: { value: 't-1' } }).valid).toBe(false);
    expect(schemas.check('EntityId', { value: 'vm-1', _type: 'Datastore' }).valid).toBe(false);
  });

  it('accepts a task type that a later release added', () => {
    expect(schemas.check('TaskDescription', { ...task, taskType: 'ReplicateToRegion' }).errors).toEqual([]);
  });

  it('rejects a malformed date-time', () => {
    expect(schemas.check('TaskDescription', { ...task, startTime: 'yesterday' }).valid).toBe(false);
  });
});
