// The spec against what the vendor published. On every run, against the facts this project
// restated from the vendor's description and reference page (testkit's vendor-facts/snapservice.yaml,
// itself checked against those sources where they are): statuses, error types, the path, required
// fields, and every field the page shows. Where the vendor files are (VMTASKS_OFFICIAL_DIR,
// VMTASKS_SEEDS_DIR), also against the files themselves: the page's own examples must validate
// against our spec, and every example of our spec against the vendor's OpenAPI description.
import {
  describeWithVendorFiles,
  differencesFromVendor,
  type DocumentedResponse,
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
  specOperations,
  type Schema,
  type SpecSchemas,
  type VendorFacts,
  type VendorOperation,
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
/** Our operations and the vendor's they stand for (ours are named by this project's convention). */
const COUNTERPARTS: Record<string, string> = {
  listTasks: 'Snapservice.Tasks_list',
  getTask: 'Snapservice.Tasks_get',
  createSession: 'Snapservice.Sessions_create',
  getSession: 'Snapservice.Sessions_get',
  deleteSession: 'Snapservice.Sessions_delete',
};

/** A difference from the vendor's description, and where our spec says why (a phrase it must contain). */
interface Deviation {
  difference: string;
  where: string[];
  says: string;
}
const ANY_OTHER_ERROR: Deviation = {
  difference: "status default: not the vendor's",
  where: ['components', 'responses', 'StandardError', 'description'],
  says: 'Any other vAPI standard error',
};
const SAML_TOKEN: Deviation = {
  difference: "security samlToken: not the vendor's",
  where: ['components', 'securitySchemes', 'samlToken', 'description'],
  says: 'older releases',
};
/** The published login names the session-token scheme, which contradicts its own text; ours takes Basic or SAML. */
const LOGIN = (difference: string): Deviation => ({ difference, where: ['info', 'description'], says: 'contradicts its own text' });
/** Every difference of each operation from the vendor's: any other one fails the test. */
const DEVIATIONS: Record<string, Deviation[]> = {
  listTasks: [ANY_OTHER_ERROR, SAML_TOKEN],
  getTask: [ANY_OTHER_ERROR, SAML_TOKEN],
  createSession: [
    ANY_OTHER_ERROR,
    LOGIN('security sessionId: missing'),
    LOGIN("security basicAuth: not the vendor's"),
    LOGIN("security samlToken: not the vendor's"),
  ],
  getSession: [ANY_OTHER_ERROR],
  deleteSession: [ANY_OTHER_ERROR],
};

/** The vendor's operation a documented response of ours belongs to. */
function vendorOperationOf(response: DocumentedResponse): VendorOperation {
  const vendor = facts.operations.find((operation) => operation.operationId === COUNTERPARTS[response.operationId]);
  if (!vendor) throw new Error(`no vendor counterpart for ${response.operationId}`);
  return vendor;
}

/** The facts' schema a documented body of ours must follow: the vendor's for its status; a vAPI error otherwise. */
function factsSchemaOf(response: DocumentedResponse): string {
  const vendor = vendorOperationOf(response);
  const named = vendor.bodies[response.status];
  if (named) return named;
  return response.status === '401' || response.status === '403' ? 'VapiErrorWithChallenge' : 'VapiError';
}

const FULL_ERROR = { error_type: 'ERROR', messages: [{ id: 'm', default_message: 'Failed', args: [] }], data: { hint: 'retry' } };
const TASK_ERRORS = [{}, { error_type: 'TIMED_OUT' }, FULL_ERROR, { ...FULL_ERROR, vendor_detail: 42 }];
const CHALLENGED = { error_type: 'UNAUTHORIZED', messages: [], challenge: 'SIGN realm="snapservice"' };

describe("the vendor's facts (vendor-facts/snapservice.yaml)", () => {
  it('task statuses and error types are the vendor’s', () => {
    expect([...taskStatusValues].sort()).toEqual(facts.enumOf('TaskStatus').sort());
    expect([...vapiErrorTypeValues].sort()).toEqual(facts.enumOf('ErrorType').sort());
  });

  it('every operation the vendor documents is ours: path, method, parameters, body, statuses, security — or the spec says why not', () => {
    const servers = facts.document['servers'] as { url: string }[];
    const operations = specOperations(document);
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(Object.keys(COUNTERPARTS).sort());
    expect(facts.operations.map((operation) => operation.operationId).sort()).toEqual(Object.values(COUNTERPARTS).sort());
    for (const ours of operations) {
      const vendor = facts.operations.find((operation) => operation.operationId === COUNTERPARTS[ours.operationId])!;
      const differences = differencesFromVendor(ours, vendor, {
        operationIds: COUNTERPARTS,
        ourPath: (path) => `${servers[0]!.url}${path}`,
        ourSchema: { Info: 'TaskInfo' },
        factsSchema: (name) => facts.schema(name),
        ourScheme: { api_key_auth: 'sessionId' },
      });
      const documented = DEVIATIONS[ours.operationId] ?? [];
      expect(differences.sort(), ours.operationId).toEqual(documented.map((deviation) => deviation.difference).sort());
      for (const deviation of documented) {
        const text = deviation.where.reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], document);
        expect(String(text), `${ours.operationId}: ${deviation.difference}`).toContain(deviation.says);
      }
    }
  });

  it('each error status names the vendor’s error types for it, in its description and its examples', async () => {
    const responses = await documentedResponses(spec);
    let checked = 0;
    for (const ours of specOperations(document)) {
      const vendor = facts.operations.find((operation) => operation.operationId === COUNTERPARTS[ours.operationId])!;
      for (const [status, types] of Object.entries(vendor.errorTypes)) {
        const where = `${ours.operationId} ${status}`;
        const described = [...(ours.responses[status]?.description ?? '').matchAll(/com\.vmware\.vapi\.std\.errors\.(\w+)/g)];
        expect(described.map((match) => match[1]!.toUpperCase()).sort(), where).toEqual([...types].sort());
        const examples = Object.values(
          responses.find((response) => response.operationId === ours.operationId && response.status === status)?.examples ?? {},
        );
        const shown = examples.map((example) => (example as { error_type?: unknown }).error_type);
        expect([...new Set(shown)].sort(), `${where} examples`).toEqual([...types].sort());
        checked++;
      }
    }
    expect(checked).toBe(Object.values(facts.operations).reduce((sum, operation) => sum + Object.keys(operation.errorTypes).length, 0));
  });

  it('the session header is the vendor’s', () => {
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
      SessionInfo: 'SessionInfo',
    };
    for (const [mine, theirs] of Object.entries(counterparts)) {
      const required = schemaAt(document, mine, '')?.['required'] as string[] | undefined;
      expect([...(required ?? [])].sort(), mine).toEqual(facts.requiredOf(theirs).sort());
    }
  });

  it('every documented example follows the facts, each error with an error type the vendor names for its status', async () => {
    const checked = new Set<string>();
    let count = 0;
    for (const response of await documentedResponses(spec)) {
      const where = `${response.operationId} ${response.status}`;
      const errorTypes = vendorOperationOf(response).errorTypes;
      for (const [name, example] of Object.entries(response.examples)) {
        const schema = factsSchemaOf(response);
        expect(facts.schemas.check(schema, example).errors, `${where} ${name} against the facts' ${schema}`).toEqual([]);
        const named = errorTypes[response.status];
        if (named) expect(named, `${where} ${name}`).toContain((example as { error_type?: unknown }).error_type);
        checked.add(response.operationId);
        count++;
      }
    }
    expect([...checked].sort()).toEqual(Object.keys(COUNTERPARTS).sort());
    expect(count).toBeGreaterThanOrEqual(29);
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
  let officialDocument: Schema;
  beforeAll(async () => {
    const file = officialDir().file('snapservice-official.yaml');
    [official, officialDocument] = await Promise.all([loadSpecSchemas(file), loadYamlDocument(file) as Promise<Schema>]);
  });

  /** The vendor's schema of a documented body of ours: the one its operation declares for the status, a name or inline. */
  function officialBodySchema(response: DocumentedResponse): Schema | undefined {
    const vendor = vendorOperationOf(response);
    const operation = ((officialDocument['paths'] as Schema)[vendor.path] as Schema)[vendor.method] as Schema;
    const declared = (operation['responses'] as Record<string, Schema>)[response.status];
    return ((declared?.['content'] as Schema | undefined)?.['application/json'] as Schema | undefined)?.['schema'] as Schema | undefined;
  }

  /** The vendor's schema for a vAPI error body: `INVALID_ARGUMENT` → `Vapi.Std.Errors.InvalidArgument`. */
  function officialErrorSchema(errorType: string): string {
    return `Vapi.Std.Errors.${errorType.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase())}`;
  }

  it('every documented example, against the matching official schema', async () => {
    const checked = new Set<string>();
    let count = 0;
    for (const response of await documentedResponses(spec)) {
      const declared = officialBodySchema(response);
      for (const [name, example] of Object.entries(response.examples)) {
        const where = `${response.operationId} ${response.status} ${name}`;
        const errorType = (example as { error_type?: unknown }).error_type;
        if (errorType !== undefined) {
          const schema = officialErrorSchema(String(errorType));
          expect(official.check(schema, example).errors, `${where} against ${schema}`).toEqual([]);
        } else if (typeof declared?.['$ref'] === 'string') {
          const schema = declared['$ref'].split('/').pop()!;
          expect(official.check(schema, example).errors, `${where} against ${schema}`).toEqual([]);
        } else {
          // Declared inline: the session token, a bare string.
          expect(declared?.['type'], where).toBe('string');
          expect(typeof example, where).toBe('string');
        }
        checked.add(response.operationId);
        count++;
      }
    }
    expect([...checked].sort()).toEqual(Object.keys(COUNTERPARTS).sort());
    expect(count).toBeGreaterThanOrEqual(29);
  });

  it('an empty, a partial and a full task error; the 403 error with a challenge (official since 9.1)', () => {
    for (const error of TASK_ERRORS) {
      expect(official.check('Snapservice.Tasks.ListResult', taskWithError(error)).errors, JSON.stringify(error)).toEqual([]);
    }
    expect(official.check('Vapi.Std.Errors.Unauthorized', CHALLENGED).errors).toEqual([]);
  });
});
