// The facts in vendor-facts/ against the vendor files they were restated from, where those files
// are (VMTASKS_OFFICIAL_DIR, VMTASKS_SEEDS_DIR): a fact that stops matching its source fails here,
// so the tests that rely on the facts on every other machine cannot drift from what was published.
import { readFile } from 'node:fs/promises';
import { beforeAll, expect, it } from 'vitest';
import { isSchema, jsonPaths, resolveSchema, type Schema } from './schema-walk.js';
import { loadYamlDocument, seedExamples } from './seeds.js';
import { loadVendorFacts, type VendorFacts } from './vendor-facts.js';
import { describeWithVendorFiles, officialDir, seedsDir } from './vendor-files.js';

const sorted = (values: Iterable<string>): string[] => [...values].sort();

function record(value: unknown): Schema {
  return isSchema(value) ? value : {};
}

/** The names, `type`s and `format`s of a schema's properties, `$ref`s and `allOf`s followed. */
function propertyKinds(document: Schema, schema: Schema): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(schema['properties'])).map(([name, property]) => {
      const resolved = resolveSchema(document, property);
      return [name, [resolved['type'], resolved['format']].filter((part) => part !== undefined).join(' ')];
    }),
  );
}

let snapservice: VendorFacts;
let velostrata: VendorFacts;
beforeAll(async () => {
  [snapservice, velostrata] = await Promise.all([loadVendorFacts('snapservice'), loadVendorFacts('velostrata')]);
});

describeWithVendorFiles('the restated facts agree with the vendor descriptions', [officialDir()], () => {
  let official: { snapservice: Schema; velostrata: Schema };
  beforeAll(async () => {
    const [snap, velo] = await Promise.all(
      ['snapservice-official.yaml', 'velostrata-official.yaml'].map((name) => loadYamlDocument(officialDir().file(name))),
    );
    official = { snapservice: record(snap), velostrata: record(velo) };
  });

  /** snapservice: the error type a vAPI error schema stands for (its discriminator mapping, reversed). */
  function errorTypeOf(schemaName: string): string {
    const error = record(record(official.snapservice['components'])['schemas'])['Vapi.Std.Errors.Error'];
    const mapping = record(record(record(error)['discriminator'])['mapping']);
    const found = Object.entries(mapping).find(([, ref]) => ref === `#/components/schemas/${schemaName}`);
    if (!found) throw new Error(`no error type maps to ${schemaName}`);
    return found[0];
  }

  it('snapservice: each schema has the vendor schema’s required fields, enumeration, properties and their types', () => {
    const schemas = record(record(snapservice.document['components'])['schemas']);
    let compared = 0;
    for (const [name, declared] of Object.entries(schemas)) {
      const vendorName = record(declared)['x-vendor-schema'];
      if (typeof vendorName !== 'string') continue;
      const ours = snapservice.schema(name);
      const theirs = resolveSchema(official.snapservice, { $ref: `#/components/schemas/${vendorName}` });
      expect(sorted(snapservice.requiredOf(name)), `${name} required`).toEqual(sorted((theirs['required'] as string[] | undefined) ?? []));
      expect(snapservice.enumOf(name), `${name} enum`).toEqual(theirs['enum'] ?? []);
      const theirKinds = propertyKinds(official.snapservice, theirs);
      const ourKinds = propertyKinds(snapservice.document, ours);
      expect(sorted(Object.keys(ourKinds)), `${name} properties`).toEqual(sorted(Object.keys(theirKinds)));
      for (const [property, kind] of Object.entries(ourKinds)) {
        // A stated type must be the vendor's; the vendor's int64 is not restated (it is a number either way).
        expect(theirKinds[property]?.replace(' int64', ''), `${name}.${property}`).toBe(kind);
      }
      compared++;
    }
    expect(compared).toBe(9);
  });

  it('snapservice: the list operation — path, method, query parameters, statuses, error types, security header', () => {
    const server = String(record((official.snapservice['servers'] as unknown[] | undefined)?.[0])['url']);
    const [operation] = snapservice.operations;
    const servers = snapservice.document['servers'] as { url: string }[];
    expect(server.endsWith(servers[0]!.url)).toBe(true);
    const theirs = record(record(record(official.snapservice['paths'])[operation!.path])[operation!.method]);
    expect(theirs['operationId']).toBe(operation!.operationId);
    const parameters = (theirs['parameters'] as { name: string; in: string }[]).filter((parameter) => parameter.in === 'query');
    const ours = record(record(record(snapservice.document['paths'])[operation!.path])[operation!.method]);
    expect(parameters.map((parameter) => parameter.name)).toEqual(ours['x-query-parameters']);
    const responses = record(theirs['responses']);
    expect(sorted(operation!.statuses)).toEqual(sorted(Object.keys(responses)));
    for (const [status, response] of Object.entries(responses)) {
      if (status === '200') continue;
      const ref = String(record(record(record(record(response)['content'])['application/json'])['schema'])['$ref']);
      const named = [...String(record(response)['description']).matchAll(/\*\*\*(Vapi\.Std\.Errors\.\w+)\*\*\*/g)].map((m) => m[1]!);
      const types = new Set([ref.split('/').pop()!, ...named].map(errorTypeOf));
      expect(sorted(operation!.errorTypes[status] ?? []), status).toEqual(sorted(types));
    }
    expect(theirs['security']).toEqual(ours['security']);
    const scheme = (document: Schema) => record(record(record(document['components'])['securitySchemes'])['api_key_auth']);
    expect(scheme(snapservice.document)['name']).toBe(scheme(official.snapservice)['name']);
  });

  it('snapservice: the errors whose schema adds a challenge', () => {
    const schemas = record(record(official.snapservice['components'])['schemas']);
    const withChallenge = Object.entries(schemas)
      .filter(([name, schema]) => name.startsWith('Vapi.Std.Errors.') && 'challenge' in record(record(schema)['properties']))
      .map(([name]) => errorTypeOf(name));
    expect(sorted(withChallenge)).toEqual(sorted(snapservice.schema('VapiErrorWithChallenge')['x-error-types'] as string[]));
  });

  it('velostrata: enumerations, TaskDescription, ErrorInfo and the page of tasks', () => {
    const definitions = record(official.velostrata['definitions']);
    const theirs = (name: string) => resolveSchema(official.velostrata, { $ref: `#/definitions/${name}` });
    for (const name of ['TaskState', 'TaskType']) expect(velostrata.enumOf(name), name).toEqual(theirs(name)['enum']);
    for (const name of ['EntityId', 'TaskId']) {
      const own = (schema: Schema) => record(record(schema['properties'])['_type'])['enum'];
      expect(velostrata.propertiesOf(name)['_type']?.['enum'], name).toEqual(own(theirs(name)));
    }
    expect(velostrata.requiredOf('EntityId')).toEqual(theirs('EntityId')['required']);
    for (const name of ['TaskDescription', 'ErrorInfo', 'TaskDescriptionPage']) {
      const ours = propertyKinds(velostrata.document, velostrata.schema(name));
      const vendor = propertyKinds(official.velostrata, theirs(name));
      // TaskDescriptionPage restates only its own part (content, _type), not the generic Page's counters.
      const compared = name === 'TaskDescriptionPage' ? Object.fromEntries(Object.keys(ours).map((key) => [key, vendor[key]])) : vendor;
      expect(ours, name).toEqual(compared);
    }
    expect(Object.keys(definitions)).toEqual(expect.arrayContaining(['TaskState', 'TaskType', 'EntityId', 'TaskId']));
  });

  it('velostrata: GET /tasks, its operation id, its 200 and the base path', () => {
    const [operation] = velostrata.operations;
    const theirs = record(record(record(official.velostrata['paths'])[operation!.path])[operation!.method]);
    expect(theirs['operationId']).toBe(operation!.operationId);
    expect(sorted(operation!.statuses)).toEqual(sorted(Object.keys(record(theirs['responses']))));
    expect((velostrata.document['servers'] as { url: string }[])[0]!.url).toBe(official.velostrata['basePath']);
  });
});

describeWithVendorFiles('the restated facts agree with the vendor reference pages', [seedsDir()], () => {
  it('snapservice: the fields its examples show, and the errors it lists', async () => {
    const [list, ...errors] = await seedExamples('snapservice-list-tasks.txt');
    expect(jsonPaths(list?.value)).toEqual(snapservice.page['ListResult']);
    expect(errors.length).toBeGreaterThanOrEqual(5);
    for (const error of errors) expect(jsonPaths(error.value), `seed line ${error.line}`).toEqual(snapservice.page['VapiError']);
    const text = await readFile(seedsDir().file('snapservice-list-tasks.txt'), 'utf8');
    const listed = [...text.matchAll(/com\.vmware\.vapi\.std\.errors\.(\w+) :/g)].map((match) => match[1]!.toUpperCase());
    expect(listed).toEqual(snapservice.page['errors']);
  });

  it('velostrata: get /tasks, its responses, and every field it lists with its kind', async () => {
    const text = await readFile(seedsDir().file('velostrata-get-tasks.txt'), 'utf8');
    const lines = text.split('\n').map((line) => line.trim());
    const page = velostrata.page;
    expect(lines[0]).toBe(`${page['method']} ${page['path']}`);
    const responses = record(page['responses']);
    for (const [status, schema] of Object.entries(responses)) {
      const heading = lines.indexOf(status === 'default' ? 'Default' : status, lines.indexOf('Responses'));
      expect(
        lines.slice(heading + 1).find((line) => line !== ''),
        status,
      ).toMatch(new RegExp(` ${String(schema)}$`));
    }
    const errorInfo = lines.slice(lines.indexOf('Error ErrorInfo'));
    for (const field of page['ErrorInfo'] as string[])
      expect(
        errorInfo.some((line) => line.startsWith(field)),
        field,
      ).toBe(true);
    const fields = record(page['TaskDescriptionPage']);
    const [example] = await seedExamples('velostrata-get-tasks.txt');
    // The example leaves out optional fields; every field it has is restated.
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(jsonPaths(example?.value)));
    for (const [field, kind] of Object.entries(fields)) {
      const name = field.split('.').pop()!.replace(/\[\]$/, '');
      expect(
        lines.some((line) => line === name || line === `${name} (optional)` || line === `${name}(optional)`),
        field,
      ).toBe(true);
      for (const value of Array.isArray(kind) ? kind : []) expect(text, `${field} ${value}`).toMatch(new RegExp(`\\b${value}\\b`));
      if (typeof kind === 'string' && /^(int32|int64|date-time)$/.test(kind)) expect(text, field).toContain(`format: ${kind}`);
    }
  });
});
