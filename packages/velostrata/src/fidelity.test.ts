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
  differencesFromVendor,
  documentedResponses,
  loadSpecSchemas,
  loadVendorFacts,
  loadYamlDocument,
  PlaceholderFiller,
  schemaAt,
  seedExamples,
  seedsDir,
  specOf,
  specOperations,
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

/** A difference from the 2.5 operations, and the phrase of our spec's description that says why. */
interface Deviation {
  difference: string;
  says: string;
}
/** 4.x names operations in its own style (`getActiveTasks`, `getTask`); 2.5's ids are generated ones. */
const RENAMED_OPERATION = (ours: string, theirs: string): Deviation => ({
  difference: `operationId: "${ours}", vendor "${theirs}"`,
  says: `(${ours}`,
});
const ERRORS_4X: Deviation[] = [
  { difference: "status default: not the vendor's", says: '`default` ErrorInfo' },
  { difference: "status 401: not the vendor's", says: '2.5 declares no error response on these paths' },
];
const FORBIDDEN: Deviation = { difference: "status 403: not the vendor's", says: "4.x's operationId style and error responses" };
const UNKNOWN_ID: Deviation = { difference: "status 404: not the vendor's", says: '404 (unknown id)' };
/** Every difference of each operation from 2.5's: any other one (a path, method, parameter, body or status) fails. */
const DEVIATIONS: Record<string, Deviation[]> = {
  getActiveTasks: [RENAMED_OPERATION('getActiveTasks', 'restListActiveTasksUsingGET'), ...ERRORS_4X],
  listTasks: [RENAMED_OPERATION('listTasks', 'restListTasksUsingPOST'), ...ERRORS_4X, FORBIDDEN],
  getTask: [RENAMED_OPERATION('getTask', 'restDescribeTaskUsingGET'), ...ERRORS_4X, FORBIDDEN, UNKNOWN_ID],
  cancelTask: [RENAMED_OPERATION('cancelTask', 'restCancelTaskUsingDELETE'), ...ERRORS_4X, FORBIDDEN, UNKNOWN_ID],
};

describe('the operations of the vendor description (REST API 2.5), as restated in the facts', () => {
  it('each is ours, on the same path and method, parameters, request body and statuses — or the spec says why not', () => {
    const document = ours as unknown as Schema;
    const operations = specOperations(document);
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(Object.keys(DEVIATIONS).sort());
    expect(facts.operations).toHaveLength(operations.length);
    for (const mine of operations) {
      const vendor = facts.operations.find((operation) => operation.method === mine.method && operation.path === mine.path);
      expect(vendor, `${mine.method} ${mine.path}`).toBeDefined();
      const differences = differencesFromVendor(mine, vendor!, { ourPath: (path) => path, factsSchema: (name) => facts.schema(name) });
      const documented = DEVIATIONS[mine.operationId] ?? [];
      expect(differences.sort(), mine.operationId).toEqual(documented.map((deviation) => deviation.difference).sort());
      for (const deviation of documented) {
        expect(ours.info.description.replace(/\s+/g, ' '), `${mine.operationId}: ${deviation.difference}`).toContain(deviation.says);
      }
    }
  });
});

describe('the request body of listTasks (REST API 2.5), as restated in the facts', () => {
  const schemas = () => ours.components.schemas;
  /** A property as one line: its type, format and default, or the schema it refers to (an array's items too). */
  function kind(schema: Schema | undefined): string {
    const items = schema?.['items'] as Schema | undefined;
    const ref = (schema?.['$ref'] ?? items?.['$ref']) as string | undefined;
    return [schema?.['type'], schema?.['format'], schema?.['default'], ref?.split('/').pop()]
      .filter((part) => part !== undefined)
      .join(' ');
  }

  it('PageRequest has 2.5’s fields, of its kinds and defaults, none required', () => {
    const mine = schemas()['PageRequest']!;
    const theirs = facts.propertiesOf('PageRequest');
    expect(Object.keys(mine.properties ?? {}).sort()).toEqual(Object.keys(theirs).sort());
    for (const [name, schema] of Object.entries(theirs)) expect(kind(mine.properties?.[name]), name).toBe(kind(schema));
    expect(mine['required'] ?? []).toEqual(facts.requiredOf('PageRequest'));
  });

  it('the filter is 2.5’s union: told apart by `_type`, the same members, each with its required fields and `_type` value', () => {
    const filter = schemas()['Filter']!;
    const members = facts.propertiesOf('Filter')['_type']?.['enum'] as string[];
    expect((filter['discriminator'] as Schema)['propertyName']).toBe('_type');
    expect(facts.requiredOf('Filter')).toEqual(['_type']);
    expect(Object.keys((filter['discriminator'] as Schema)['mapping'] as Schema).sort()).toEqual([...members].sort());
    expect((filter['oneOf'] as Schema[]).map((member) => String(member['$ref']).split('/').pop()).sort()).toEqual([...members].sort());
    for (const member of members) {
      const mine = schemas()[member]!;
      const theirs = facts.propertiesOf(member);
      expect([...((mine['required'] as string[]) ?? [])].sort(), `${member} required`).toEqual(facts.requiredOf(member).sort());
      expect(mine.properties?.['_type']?.['enum'], `${member} _type`).toEqual(theirs['_type']?.['enum']);
      expect(Object.keys(mine.properties ?? {}).sort(), member).toEqual(Object.keys(theirs).sort());
      for (const [name, schema] of Object.entries(theirs)) {
        if (name !== '_type') expect(kind(mine.properties?.[name]), `${member}.${name}`).toBe(kind(schema));
      }
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
