// The facts this project restated from the vendors' descriptions and pages (vendor-facts/*.yaml):
// what the fidelity and simulator tests check our specs, clients and simulator against on every
// run, with or without the vendor files beside the repository.
import { loadSpecSchemas, type SpecSchemas } from '@vmtasks/spec-toolchain';
import { isSchema, resolveSchema, type Schema } from './schema-walk.js';
import { loadYamlDocument } from './seeds.js';
import { vendorFacts } from './vendor-files.js';

export interface VendorOperation {
  method: string;
  path: string;
  operationId: string;
  /** Documented statuses, as written (`200`, `default`). */
  statuses: string[];
  /** The vendor's error types for each error status (`x-error-types`). */
  errorTypes: Record<string, string[]>;
  /** The schema each status's JSON body is (a name under `components.schemas`), or none: no body. */
  bodies: Record<string, string | undefined>;
  /** Names of the path and query parameters (`x-path-parameters`, `x-query-parameters`), in order. */
  pathParameters: string[];
  queryParameters: string[];
  /** The request body's schema, when the operation takes one. */
  requestBody?: { schema: string; required: boolean };
  /** The security schemes named (any one of them). */
  security: string[];
}

export interface VendorFacts {
  file: string;
  document: Schema;
  /** Validates a body against one of the facts' schemas (required fields, enumerations, types). */
  schemas: SpecSchemas;
  /** `components.schemas.<name>`, `$ref` and `allOf` resolved. */
  schema(name: string): Schema;
  enumOf(name: string): string[];
  requiredOf(name: string): string[];
  propertiesOf(name: string): Record<string, Schema>;
  operations: VendorOperation[];
  /** What the vendor's reference page shows (`x-reference-page`). */
  page: Schema;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `#/components/schemas/Name` → `Name` (the schema of a JSON body), undefined for no body. */
function bodySchema(holder: unknown): string | undefined {
  const content = isSchema(holder) && isSchema(holder['content']) ? holder['content'] : {};
  const media = isSchema(content['application/json']) ? content['application/json'] : {};
  const schema = isSchema(media['schema']) ? media['schema'] : {};
  return typeof schema['$ref'] === 'string' ? schema['$ref'].split('/').pop() : undefined;
}

function operationsOf(document: Schema): VendorOperation[] {
  const paths = isSchema(document['paths']) ? document['paths'] : {};
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(isSchema(item) ? item : {})
      .filter((entry): entry is [string, Schema] => isSchema(entry[1]))
      .map(([method, operation]) => {
        const responses = isSchema(operation['responses']) ? operation['responses'] : {};
        const errorTypes: Record<string, string[]> = {};
        const bodies: Record<string, string | undefined> = {};
        for (const [status, response] of Object.entries(responses)) {
          const types = strings(isSchema(response) ? response['x-error-types'] : undefined);
          if (types.length > 0) errorTypes[status] = types;
          bodies[status] = bodySchema(response);
        }
        const body = operation['requestBody'];
        const requestSchema = bodySchema(body);
        const security = Array.isArray(operation['security']) ? operation['security'] : [];
        return {
          method,
          path,
          operationId: String(operation['operationId']),
          statuses: Object.keys(responses),
          errorTypes,
          bodies,
          pathParameters: strings(operation['x-path-parameters']),
          queryParameters: strings(operation['x-query-parameters']),
          ...(requestSchema === undefined
            ? {}
            : { requestBody: { schema: requestSchema, required: isSchema(body) && body['required'] === true } }),
          security: security.flatMap((requirement) => (isSchema(requirement) ? Object.keys(requirement) : [])),
        };
      }),
  );
}

export async function loadVendorFacts(api: 'snapservice' | 'velostrata'): Promise<VendorFacts> {
  const file = vendorFacts(api);
  const loaded = await loadYamlDocument(file);
  if (!isSchema(loaded)) throw new TypeError(`${file} is not an OpenAPI document`);
  const document = loaded;
  const schema = (name: string): Schema => resolveSchema(document, { $ref: `#/components/schemas/${name}` });
  return {
    file,
    document,
    schemas: await loadSpecSchemas(file),
    schema,
    enumOf: (name) => strings(schema(name)['enum']),
    requiredOf: (name) => strings(schema(name)['required']),
    propertiesOf: (name) => {
      const properties = schema(name)['properties'];
      return isSchema(properties) ? (properties as Record<string, Schema>) : {};
    },
    operations: operationsOf(document),
    page: isSchema(document['x-reference-page']) ? document['x-reference-page'] : {},
  };
}
