// The spec against what the vendor published, on every run through the facts this project
// restated (testkit's vendor-facts/velostrata.yaml, itself checked against the vendor files where
// they are). The vendor's own description is the older REST API 2.5: the parts that did not change
// must agree, and the ones that did are listed here and in the spec's description, so a new
// difference fails this test until someone documents it. The 4.x reference page, which the spec
// follows: every field it lists is a field of ours, of the kind it gives. Where the page itself is
// (VMTASKS_SEEDS_DIR), its example must validate against our spec.
import {
  alternatives,
  describeWithVendorFiles,
  documentedResponses,
  loadSpecSchemas,
  loadVendorFacts,
  loadYamlDocument,
  PlaceholderFiller,
  schemaAt,
  seedExamples,
  seedsDir,
  specOf,
  type Schema,
  type VendorFacts,
} from '@vmtasks/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { entityId_typeValues, knownTaskTypeValues, taskId_typeValues, taskStateValues } from './generated/openapi.js';

let spec: string;
let ours: { info: { description: string }; components: { schemas: Record<string, Schema & { properties?: Record<string, Schema> }> } };
let facts: VendorFacts;
beforeAll(async () => {
  spec = await specOf('velostrata');
  ours = (await loadYamlDocument(spec)) as typeof ours;
  facts = await loadVendorFacts('velostrata');
});

/** The differences between 2.5's `TaskDescription` and ours, each documented in the spec. */
const RENAMED: Record<string, string> = { type: 'taskType' };
const REFORMATTED: Record<string, [official: string, ours: string]> = { startTime: ['date', 'date-time'], endTime: ['date', 'date-time'] };

describe('the vendor description (REST API 2.5), as restated in the facts', () => {
  it('task states are the same', () => {
    expect([...taskStateValues].sort()).toEqual(facts.enumOf('TaskState').sort());
  });

  it('every task type it lists is a known task type (ours may know more)', () => {
    const types = facts.enumOf('TaskType');
    expect(types.length).toBe(19);
    expect(knownTaskTypeValues).toEqual(expect.arrayContaining(types));
  });

  it('id shapes are the same: `_type` values of entity and task ids', () => {
    expect([...entityId_typeValues].sort()).toEqual([...((facts.propertiesOf('EntityId')['_type']?.['enum'] as string[]) ?? [])].sort());
    expect(taskId_typeValues).toEqual(facts.propertiesOf('TaskId')['_type']?.['enum']);
  });

  it('TaskDescription differs only where the spec documents it', () => {
    const theirs = facts.propertiesOf('TaskDescription');
    const mine = ours.components.schemas['TaskDescription']?.properties ?? {};
    const renamed = Object.keys(theirs).map((name) => RENAMED[name] ?? name);
    expect(Object.keys(mine).sort()).toEqual(renamed.sort());
    for (const [name, schema] of Object.entries(theirs)) {
      const counterpart = mine[RENAMED[name] ?? name];
      const [theirFormat, ourFormat] = REFORMATTED[name] ?? [schema['format'], schema['format']];
      expect(schema['format'], name).toBe(theirFormat);
      expect(counterpart?.['format'], name).toBe(ourFormat);
    }
    for (const name of [...Object.entries(RENAMED).flat(), ...Object.keys(REFORMATTED), 'date-time']) {
      expect(ours.info.description, `the spec's description documents ${name}`).toContain(`\`${name}\``);
    }
  });
});

describe('the reference page (4.x), as restated in the facts', () => {
  /** Whether our schema is of the kind the page gives: a type, a format, or an enumeration's values. */
  function ofKind(schema: Schema, kind: unknown): boolean {
    const options = alternatives(ours as unknown as Schema, schema);
    if (Array.isArray(kind))
      return options.some(
        (option) => JSON.stringify([...((option['enum'] as string[]) ?? [])].sort()) === JSON.stringify([...kind].sort()),
      );
    if (kind === 'int32' || kind === 'int64' || kind === 'date-time') return options.some((option) => option['format'] === kind);
    return options.some((option) => option['type'] === kind);
  }

  it('every field it lists is a field of ours, of the kind the page gives', () => {
    const fields = facts.page['TaskDescriptionPage'] as Record<string, unknown>;
    expect(Object.keys(fields).length).toBeGreaterThan(30);
    for (const [field, kind] of Object.entries(fields)) {
      const schema = schemaAt(ours as unknown as Schema, 'TaskDescriptionPage', field);
      expect(schema, field).toBeDefined();
      expect(ofKind(schema!, kind), `${field}: ${JSON.stringify(kind)}`).toBe(true);
    }
  });

  it('GET /tasks answers a TaskDescriptionPage, and ErrorInfo otherwise', async () => {
    // The same path also takes POST (listTasks, from 2.5): the page's operation is its GET.
    const responses = (await documentedResponses(spec)).filter(
      (response) => response.path === facts.page['path'] && response.method === facts.page['method'],
    );
    expect(responses.length).toBeGreaterThan(0);
    for (const [status, schema] of Object.entries(facts.page['responses'] as Record<string, string>)) {
      expect(responses.find((response) => response.status === status)?.schema, status).toBe(schema);
    }
    expect(Object.keys(ours.components.schemas['ErrorInfo']?.properties ?? {}).sort()).toEqual(
      [...(facts.page['ErrorInfo'] as string[])].sort(),
    );
  });
});

describeWithVendorFiles("the reference page's own example", [seedsDir()], () => {
  it('validates against our spec', async () => {
    const [schemas, filler] = await Promise.all([loadSpecSchemas(spec), PlaceholderFiller.load(spec)]);
    const [page] = await seedExamples('velostrata-get-tasks.txt');
    expect(page?.value).toMatchObject({ _type: 'TaskDescriptionPage' });
    expect(schemas.check('TaskDescriptionPage', filler.fill(page?.value, 'TaskDescriptionPage')).errors).toEqual([]);
  });
});
