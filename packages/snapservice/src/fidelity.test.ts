// The spec against what the vendor published. On every run, against the facts this project
// restated from the vendor's description and reference page (testkit's vendor-facts/snapservice.yaml,
// itself checked against those sources where they are): statuses, error types, the path, required
// fields, and every field the page shows. Where the vendor files are (VMTASKS_OFFICIAL_DIR,
// VMTASKS_SEEDS_DIR), also against the files themselves: the page's own examples must validate
// against our spec, and every example of our spec against the vendor's OpenAPI description.
import {
  describeWithVendorFiles,
  documentedResponses,
  loadSpecSchemas,
  loadVendorFacts,
  loadYamlDocument,
  officialDir,
  PlaceholderFiller,
  schemaAt,
  seedExamples,
  seedsDir,
  specOf,
  type Schema,
  type SpecSchemas,
  type VendorFacts,
} from '@vmtasks/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskStatusValues, vapiErrorTypeValues } from './generated/openapi.js';

let spec: string;
let ours: SpecSchemas;
let document: Schema;
let facts: VendorFacts;
beforeAll(async () => {
  spec = await specOf('snapservice');
  [ours, document, facts] = await Promise.all([
    loadSpecSchemas(spec),
    loadYamlDocument(spec) as Promise<Schema>,
    loadVendorFacts('snapservice'),
  ]);
});

/** A task whose `error` is the one given, as a ListResult. */
function taskWithError(error: object) {
  return {
    items: [
      {
        task: 't-1',
        info: {
          description: { id: 'd', default_message: 'Snapshot', args: [] },
          service: 's',
          operation: 'o',
          status: 'FAILED',
          cancelable: false,
          error,
        },
      },
    ],
  };
}
const FULL_ERROR = { error_type: 'ERROR', messages: [{ id: 'm', default_message: 'Failed', args: [] }], data: { hint: 'retry' } };
const TASK_ERRORS = [{}, { error_type: 'TIMED_OUT' }, FULL_ERROR, { ...FULL_ERROR, vendor_detail: 42 }];
const CHALLENGED = { error_type: 'UNAUTHORIZED', messages: [], challenge: 'SIGN realm="snapservice"' };

describe("the vendor's facts (vendor-facts/snapservice.yaml)", () => {
  it('task statuses and error types are the vendor’s', () => {
    expect([...taskStatusValues].sort()).toEqual(facts.enumOf('TaskStatus').sort());
    expect([...vapiErrorTypeValues].sort()).toEqual(facts.enumOf('ErrorType').sort());
  });

  it('listTasks is the vendor’s GET under the same path, with every status it documents, and the same session header', async () => {
    const [vendor] = facts.operations;
    const servers = facts.document['servers'] as { url: string }[];
    const responses = (await documentedResponses(spec)).filter((response) => response.operationId === 'listTasks');
    expect(responses[0]).toMatchObject({ method: vendor!.method, path: `${servers[0]!.url}${vendor!.path}` });
    expect(responses.map((response) => response.status)).toEqual(expect.arrayContaining(vendor!.statuses));
    const header = (from: Schema, scheme: string) =>
      ((from['components'] as Schema)['securitySchemes'] as Record<string, { name?: string }>)[scheme]?.name;
    expect(header(document, 'sessionId')).toBe(header(facts.document, 'api_key_auth'));
  });

  it('our schemas require what the vendor’s do', () => {
    const counterparts: Record<string, string> = {
      ListResult: 'ListResult',
      ListItem: 'ListItem',
      TaskInfo: 'Info',
      Progress: 'Progress',
      DynamicId: 'DynamicID',
      LocalizableMessage: 'LocalizableMessage',
      VapiError: 'VapiError',
    };
    for (const [mine, theirs] of Object.entries(counterparts)) {
      const required = schemaAt(document, mine, '')?.['required'] as string[] | undefined;
      expect([...(required ?? [])].sort(), mine).toEqual(facts.requiredOf(theirs).sort());
    }
  });

  it('every documented example follows the facts, each error with an error type the vendor names for its status', async () => {
    let checked = 0;
    const errorTypes = facts.operations[0]!.errorTypes;
    for (const response of await documentedResponses(spec)) {
      for (const [name, example] of Object.entries(response.examples)) {
        const schema =
          response.status === '200'
            ? 'ListResult'
            : response.status === '401' || response.status === '403'
              ? 'VapiErrorWithChallenge'
              : 'VapiError';
        expect(facts.schemas.check(schema, example).errors, `${response.status} ${name} against the facts' ${schema}`).toEqual([]);
        const named = errorTypes[response.status];
        if (named) expect(named, `${response.status} ${name}`).toContain((example as { error_type?: unknown }).error_type);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it('an empty, a partial and a full task error follow both; the 403 may carry a challenge, as the 401 does', () => {
    for (const error of TASK_ERRORS) {
      expect(ours.check('ListResult', taskWithError(error)).errors, JSON.stringify(error)).toEqual([]);
      expect(facts.schemas.check('ListResult', taskWithError(error)).errors, JSON.stringify(error)).toEqual([]);
    }
    expect(ours.check('ListResult', taskWithError({ error_type: 'NOT_A_VAPI_ERROR' })).valid, 'a present error_type is still typed').toBe(
      false,
    );
    expect(facts.schema('VapiErrorWithChallenge')['x-error-types']).toContain(CHALLENGED.error_type);
    expect(facts.schemas.check('VapiErrorWithChallenge', CHALLENGED).errors).toEqual([]);
    expect(ours.check('VapiErrorWithChallenge', CHALLENGED).errors).toEqual([]);
  });

  it('every field the reference page shows is a field of our spec, and every error it lists one of our error types', () => {
    for (const [root, fields] of [
      ['ListResult', facts.page['ListResult']],
      ['VapiError', facts.page['VapiError']],
    ] as const) {
      for (const field of fields as string[]) expect(schemaAt(document, root, field), `${root} ${field}`).toBeDefined();
    }
    expect(vapiErrorTypeValues).toEqual(expect.arrayContaining(facts.page['errors'] as string[]));
  });
});

describeWithVendorFiles("the reference page's own examples validate against our spec", [seedsDir()], () => {
  let filler: PlaceholderFiller;
  beforeAll(async () => {
    filler = await PlaceholderFiller.load(spec);
  });

  it('the 200 ListResult, error: {} included (placeholders such as "string" for an enum filled in by kind)', async () => {
    const [list] = await seedExamples('snapservice-list-tasks.txt');
    expect(list?.caption).toMatch(/ListResult/);
    const filled = filler.fill(list?.value, 'ListResult') as { items: { info: { error: unknown } }[] };
    expect(filled.items[0]?.info.error, 'the page shows an empty error object').toEqual({});
    expect(ours.check('ListResult', filled).errors).toEqual([]);
  });

  it('every error body on the page', async () => {
    const errors = (await seedExamples('snapservice-list-tasks.txt')).slice(1);
    expect(errors.length).toBeGreaterThanOrEqual(5);
    for (const example of errors) {
      expect(ours.check('VapiError', filler.fill(example.value, 'VapiError')).errors, `seed line ${example.line}`).toEqual([]);
    }
  });
});

describeWithVendorFiles("our spec's examples validate against the vendor's own description", [officialDir()], () => {
  let official: SpecSchemas;
  beforeAll(async () => {
    official = await loadSpecSchemas(officialDir().file('snapservice-official.yaml'));
  });

  /** The vendor's schema for a vAPI error body: `INVALID_ARGUMENT` → `Vapi.Std.Errors.InvalidArgument`. */
  function officialErrorSchema(errorType: string): string {
    return `Vapi.Std.Errors.${errorType.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase())}`;
  }

  it('every documented example, against the matching official schema', async () => {
    let checked = 0;
    for (const response of await documentedResponses(spec)) {
      for (const [name, example] of Object.entries(response.examples)) {
        const errorType = (example as { error_type?: unknown }).error_type;
        const schema = response.status === '200' ? 'Snapservice.Tasks.ListResult' : officialErrorSchema(String(errorType));
        expect(official.check(schema, example).errors, `${response.status} ${name} against ${schema}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it('an empty, a partial and a full task error; the 403 error with a challenge (official since 9.1)', () => {
    for (const error of TASK_ERRORS) {
      expect(official.check('Snapservice.Tasks.ListResult', taskWithError(error)).errors, JSON.stringify(error)).toEqual([]);
    }
    expect(official.check('Vapi.Std.Errors.Unauthorized', CHALLENGED).errors).toEqual([]);
  });
});
