// The specs say what the real APIs do: their examples validate, and instances the APIs never
// send are rejected by the schemas.
import path from 'node:path';
import { documentedResponses } from '../src/responses.js';
import { loadSpecSchemas, type SpecSchemas } from '../src/schema.js';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const specPath = (api: string): string => path.join(repo, 'specs', api, 'openapi.yaml');

describe.each(['velostrata', 'snapservice'])('%s spec examples', (api) => {
  it('every response example validates against its schema', async () => {
    const schemas = await loadSpecSchemas(specPath(api));
    const examples = (await documentedResponses(specPath(api))).flatMap((response) =>
      Object.entries(response.examples).map(([name, value]) => ({
        name: `${response.method.toUpperCase()} ${response.path} ${response.status} ${name}`,
        schema: response.schema,
        value,
      })),
    );
    expect(examples.length).toBeGreaterThanOrEqual(api === 'velostrata' ? 5 : 9);
    for (const example of examples) {
      expect(example.schema, example.name).toBeDefined();
      expect({ example: example.name, ...schemas.check(example.schema ?? '', example.value) }).toEqual({
        example: example.name,
        valid: true,
        errors: [],
      });
    }
  });
});

describe('velostrata schemas', () => {
  let schemas: SpecSchemas;
  const task = { id: { value: 't-1', _type: 'TaskId' }, state: 'Running', progress: 10, taskType: 'RunVmInCloud' };
  const page = (content: unknown[]): unknown => ({ _type: 'TaskDescriptionPage', content });
  beforeAll(async () => {
    schemas = await loadSpecSchemas(specPath('velostrata'));
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
    schemas = await loadSpecSchemas(specPath('snapservice'));
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
