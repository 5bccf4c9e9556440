// The spec against what the vendor published. The reference page's example (shared/seeds) must
// validate against our spec. The vendor's own description (shared/official) is the older REST API
// 2.5: the parts that did not change must agree, and the ones that did are listed here and in the
// spec's description, so a new difference fails this test until someone documents it.
import path from 'node:path';
import { loadSpecSchemas, loadYamlDocument, PlaceholderFiller, SHARED_DIR, seedExamples, specOf } from '@vmtasks/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { entityId_typeValues, knownTaskTypeValues, taskId_typeValues, taskStateValues } from './generated/openapi.js';

type Schema = { properties?: Record<string, Schema>; enum?: string[]; format?: string; $ref?: string; items?: Schema; allOf?: Schema[] };

let ours: { info: { description: string }; components: { schemas: Record<string, Schema> } };
let official: { definitions: Record<string, Schema> };
beforeAll(async () => {
  ours = (await loadYamlDocument(await specOf('velostrata'))) as typeof ours;
  official = (await loadYamlDocument(path.join(SHARED_DIR, 'official', 'velostrata-official.yaml'))) as typeof official;
});

/** The differences between 2.5's `TaskDescription` and ours, each documented in the spec. */
const RENAMED: Record<string, string> = { type: 'taskType' };
const REFORMATTED: Record<string, [official: string, ours: string]> = { startTime: ['date', 'date-time'], endTime: ['date', 'date-time'] };

describe('the vendor description (REST API 2.5)', () => {
  it('task states are the same', () => {
    expect([...taskStateValues].sort()).toEqual([...(official.definitions['TaskState']?.enum ?? [])].sort());
  });

  it('every task type it lists is a known task type (ours may know more)', () => {
    const types = official.definitions['TaskType']?.enum ?? [];
    expect(types.length).toBe(19);
    expect(knownTaskTypeValues).toEqual(expect.arrayContaining(types));
  });

  it('id shapes are the same: `_type` values of entity and task ids', () => {
    expect([...entityId_typeValues].sort()).toEqual([...(official.definitions['EntityId']?.properties?.['_type']?.enum ?? [])].sort());
    const taskIdType = official.definitions['TaskId']?.allOf?.find((part) => part.properties)?.properties?.['_type']?.enum;
    expect(taskId_typeValues).toEqual(taskIdType);
  });

  it('TaskDescription differs only where the spec documents it', () => {
    const theirs = official.definitions['TaskDescription']?.properties ?? {};
    const mine = ours.components.schemas['TaskDescription']?.properties ?? {};
    const renamed = Object.keys(theirs).map((name) => RENAMED[name] ?? name);
    expect(Object.keys(mine).sort()).toEqual(renamed.sort());
    for (const [name, schema] of Object.entries(theirs)) {
      const counterpart = mine[RENAMED[name] ?? name];
      const [theirFormat, ourFormat] = REFORMATTED[name] ?? [schema.format, schema.format];
      expect(schema.format, name).toBe(theirFormat);
      expect(counterpart?.format, name).toBe(ourFormat);
    }
    for (const name of [...Object.entries(RENAMED).flat(), ...Object.keys(REFORMATTED), 'date-time']) {
      expect(ours.info.description, `the spec's description documents ${name}`).toContain(`\`${name}\``);
    }
  });
});

describe("the reference page's example", () => {
  it('validates against our spec', async () => {
    const spec = await specOf('velostrata');
    const [schemas, filler] = await Promise.all([loadSpecSchemas(spec), PlaceholderFiller.load(spec)]);
    const [page] = await seedExamples('velostrata-get-tasks.txt');
    expect(page?.value).toMatchObject({ _type: 'TaskDescriptionPage' });
    expect(schemas.check('TaskDescriptionPage', filler.fill(page?.value, 'TaskDescriptionPage')).errors).toEqual([]);
  });
});
