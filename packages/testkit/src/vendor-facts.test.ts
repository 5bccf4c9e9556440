// The facts in vendor-facts/ against the vendor files they were restated from, where those files
// are (VMTASKS_OFFICIAL_DIR, VMTASKS_SEEDS_DIR): a fact that stops matching its source fails here,
// so the tests that rely on the facts on every other machine cannot drift from what was published.
import { readFile } from 'node:fs/promises';
import { beforeAll, expect, it } from 'vitest';
import { isSchema, jsonPaths, resolveSchema, type Schema } from './schema-walk.js';
import { loadYamlDocument, seedExamples } from './seeds.js';
import { loadVendorFacts, type VendorFacts, type VendorOperation } from './vendor-facts.js';
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
    expect(compared).toBe(10);
  });

  /**
   * One operation of a vendor file, in the facts' terms: parameter names by place, the request
   * body's schema name (Swagger 2.0's `in: body` parameter or OpenAPI 3's `requestBody`), and
   * each status's body (a schema name, or the inline schema).
   */
  function officialOperation(document: Schema, operation: VendorOperation) {
    const theirs = record(record(record(document['paths'])[operation.path])[operation.method]);
    const parameters = (theirs['parameters'] as { name: string; in: string; required?: boolean; schema?: Schema }[] | undefined) ?? [];
    const named = (place: string) => parameters.filter((parameter) => parameter.in === place).map((parameter) => parameter.name);
    const bodyParameter = parameters.find((parameter) => parameter.in === 'body');
    const requestBody = record(theirs['requestBody']);
    const requestSchema = bodyParameter?.schema ?? record(record(record(requestBody['content'])['application/json'])['schema']);
    const responseSchema = (response: unknown): Schema | undefined => {
      const swagger = record(response)['schema'];
      const openapi = record(record(record(response)['content'])['application/json'])['schema'];
      return isSchema(swagger) ? swagger : isSchema(openapi) ? openapi : undefined;
    };
    return {
      operationId: theirs['operationId'],
      responses: record(theirs['responses']),
      responseSchema,
      pathParameters: named('path'),
      queryParameters: named('query'),
      pathRequired: parameters.filter((parameter) => parameter.in === 'path').every((parameter) => parameter.required === true),
      requestBody: requestSchema['$ref']
        ? {
            schema: String(requestSchema['$ref']).split('/').pop(),
            required: (bodyParameter?.required ?? requestBody['required']) === true,
          }
        : undefined,
      security: ((theirs['security'] as Schema[] | undefined) ?? []).flatMap((requirement) => Object.keys(requirement)),
    };
  }

  /** Each operation of the facts is the vendor's: path, method, id, parameters, request body, statuses and their bodies, security. */
  function expectOperationsAgree(api: 'snapservice' | 'velostrata', count: number): void {
    const facts = api === 'snapservice' ? snapservice : velostrata;
    const document = official[api];
    for (const operation of facts.operations) {
      const where = `${operation.method} ${operation.path}`;
      const theirs = officialOperation(document, operation);
      expect(theirs.operationId, where).toBe(operation.operationId);
      expect(theirs.pathParameters, `${where} path parameters`).toEqual(operation.pathParameters);
      expect(theirs.pathRequired, `${where} path parameters required`).toBe(true);
      expect(theirs.queryParameters, `${where} query parameters`).toEqual(operation.queryParameters);
      expect(theirs.requestBody, `${where} request body`).toEqual(operation.requestBody);
      expect(theirs.security, `${where} security`).toEqual(operation.security);
      expect(sorted(operation.statuses), `${where} statuses`).toEqual(sorted(Object.keys(theirs.responses)));
      for (const [status, response] of Object.entries(theirs.responses)) {
        const schema = theirs.responseSchema(response);
        const ours = operation.bodies[status];
        if (operation.errorTypes[status]) {
          // An error's body is told by its error type: the schema's, and any named in the description.
          const named = [...String(record(response)['description']).matchAll(/\*\*\*(Vapi\.Std\.Errors\.\w+)\*\*\*/g)].map((m) => m[1]!);
          const types = new Set([String(schema?.['$ref']).split('/').pop()!, ...named].map(errorTypeOf));
          expect(sorted(operation.errorTypes[status] ?? []), `${where} ${status}`).toEqual(sorted(types));
        } else if (ours === undefined) {
          expect(schema, `${where} ${status} has no body`).toBeUndefined();
        } else if (schema?.['$ref'] !== undefined) {
          const vendorName = facts.schema(ours)['x-vendor-schema'] ?? ours;
          expect(String(schema['$ref']).split('/').pop(), `${where} ${status}`).toBe(vendorName);
        } else {
          const inline = facts.schema(ours);
          expect([schema?.['type'], schema?.['format']], `${where} ${status}`).toEqual([inline['type'], inline['format']]);
        }
      }
    }
    expect(facts.operations.length).toBe(count);
  }

  it('snapservice: every operation — path, method, id, parameters, statuses, bodies, error types, security', () => {
    expectOperationsAgree('snapservice', 5);
    const server = String(record((official.snapservice['servers'] as unknown[] | undefined)?.[0])['url']);
    const servers = snapservice.document['servers'] as { url: string }[];
    expect(server.endsWith(servers[0]!.url)).toBe(true);
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

  it('velostrata: every operation — GET, POST /tasks, GET and DELETE /tasks/{taskId} — and the base path', () => {
    expectOperationsAgree('velostrata', 4);
    expect((velostrata.document['servers'] as { url: string }[])[0]!.url).toBe(official.velostrata['basePath']);
  });

  it('velostrata: the page request and the filter union — fields, kinds, defaults, required fields, `_type` values', () => {
    const theirs = (name: string) => resolveSchema(official.velostrata, { $ref: `#/definitions/${name}` });
    const defaults = (document: Schema, schema: Schema) =>
      Object.fromEntries(
        Object.entries(record(schema['properties'])).map(([name, property]) => [name, resolveSchema(document, property)['default']]),
      );
    for (const name of ['PageRequest', 'Filter', 'IdFilter', 'TaskEntityIdFilter', 'TaskStateFilter']) {
      const ours = velostrata.schema(name);
      const vendor = theirs(name);
      expect(propertyKinds(velostrata.document, ours), name).toEqual(propertyKinds(official.velostrata, vendor));
      expect(defaults(velostrata.document, ours), name).toEqual(defaults(official.velostrata, vendor));
      expect(sorted(velostrata.requiredOf(name)), `${name} required`).toEqual(sorted((vendor['required'] as string[] | undefined) ?? []));
      expect(velostrata.propertiesOf(name)['_type']?.['enum'], `${name} _type`).toEqual(
        record(record(vendor['properties'])['_type'])['enum'],
      );
    }
    // What a member's fields hold: entity ids, one entity id, task states.
    const holds = (schema: Schema, field: string) => {
      const property = record(record(schema['properties'])[field]);
      return String(record(property['items'])['$ref'] ?? property['$ref'])
        .split('/')
        .pop();
    };
    for (const [name, field] of [
      ['IdFilter', 'ids'],
      ['TaskEntityIdFilter', 'id'],
      ['TaskStateFilter', 'state'],
      ['PageRequest', 'filter'],
    ] as const) {
      expect(holds(velostrata.schema(name), field), `${name}.${field}`).toBe(holds(theirs(name), field));
    }
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
