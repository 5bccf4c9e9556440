// Our spec's operations, and how each differs from the vendor's as the facts restate it: the
// fidelity tests of every API list the differences their spec documents, and any other one (a
// path, method, parameter, request body, status or error type changed) fails them.
import { isSchema, type Schema } from './schema-walk.js';
import type { VendorOperation } from './vendor-facts.js';

export interface SpecResponse {
  description: string;
  /** The JSON body's schema: a name under `components.schemas`, or the inline schema; none for no body. */
  schema?: string | Schema;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  /** Path parameters (path-level and operation-level, `$ref`s followed), with whether each is required. */
  pathParameters: { name: string; required: boolean }[];
  queryParameters: string[];
  requestBody?: { schema: string | Schema | undefined; required: boolean };
  /** The security schemes named (any one of them); the document's when the operation names none. */
  security: string[];
  responses: Record<string, SpecResponse>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function record(value: unknown): Schema {
  return isSchema(value) ? value : {};
}

/** A `$ref` to a component followed once (`#/components/parameters/X`, `#/components/responses/X`). */
function followed(document: Schema, value: unknown): Schema {
  const ref = record(value)['$ref'];
  if (typeof ref !== 'string') return record(value);
  return record(
    ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => record(node)[key], document),
  );
}

/** A body's schema: its name, or the schema itself when inline or a named bare value (a string token is a string either way). */
function bodyOf(document: Schema, holder: Schema): string | Schema | undefined {
  const schema = record(record(record(holder['content'])['application/json'])['schema']);
  if (Object.keys(schema).length === 0) return undefined;
  if (typeof schema['$ref'] !== 'string') return schema;
  const named = followed(document, schema);
  return named['type'] !== undefined && named['type'] !== 'object' && named['type'] !== 'array' ? named : schema['$ref'].split('/').pop();
}

function schemeNames(requirements: unknown): string[] {
  return Array.isArray(requirements) ? requirements.flatMap((requirement) => Object.keys(record(requirement))) : [];
}

export function specOperations(document: Schema): SpecOperation[] {
  return Object.entries(record(document['paths'])).flatMap(([path, item]) =>
    METHODS.filter((method) => isSchema(record(item)[method])).map((method) => {
      const operation = record(record(item)[method]);
      const parameters = [
        ...((record(item)['parameters'] as unknown[] | undefined) ?? []),
        ...((operation['parameters'] as unknown[] | undefined) ?? []),
      ].map((parameter) => followed(document, parameter));
      const inPlace = (place: string) => parameters.filter((parameter) => parameter['in'] === place);
      const requestBody = followed(document, operation['requestBody']);
      return {
        operationId: String(operation['operationId']),
        method,
        path,
        pathParameters: inPlace('path').map((parameter) => ({ name: String(parameter['name']), required: parameter['required'] === true })),
        queryParameters: inPlace('query').map((parameter) => String(parameter['name'])),
        ...(Object.keys(requestBody).length === 0
          ? {}
          : { requestBody: { schema: bodyOf(document, requestBody), required: requestBody['required'] === true } }),
        security: schemeNames(operation['security'] ?? document['security']),
        responses: Object.fromEntries(
          Object.entries(record(operation['responses'])).map(([status, declared]) => {
            const response = followed(document, declared);
            const schema = bodyOf(document, response);
            return [status, { description: String(response['description'] ?? ''), ...(schema === undefined ? {} : { schema }) }];
          }),
        ),
      };
    }),
  );
}

export interface Comparison {
  /** The vendor's operationId for each of ours, where the naming differs by convention. */
  operationIds?: Record<string, string>;
  /** Our path for the vendor's (`/api` + `/snapservice/tasks`). */
  ourPath(vendorPath: string): string;
  /** Our schema name for one of the facts' (same name unless given). */
  ourSchema?: Record<string, string>;
  /** The facts' schema of a body (an inline one, e.g. a bare string). */
  factsSchema(name: string): Schema;
  /** The security schemes of ours that stand for the vendor's, e.g. `{ api_key_auth: 'sessionId' }`. */
  ourScheme?: Record<string, string>;
}

/** A body as one line: a schema's name, an inline schema's type and format, or `no body`. */
function bodyLine(schema: string | Schema | undefined): string {
  if (schema === undefined) return 'no body';
  if (typeof schema === 'string') return schema;
  return [schema['type'], schema['format']].filter((part) => part !== undefined).join(' ');
}

/**
 * Every way our operation differs from the vendor's, one line each (`status 404: not the vendor's`,
 * `operationId: getTask, vendor restDescribeTaskUsingGET`): empty when they agree on the path, the
 * method, the path and query parameters (names, requiredness), the request body (schema, required),
 * each status the vendor documents and its body, and the security schemes. Error types are the
 * callers' (they travel in examples and descriptions, each API its own way).
 */
export function differencesFromVendor(ours: SpecOperation, vendor: VendorOperation, comparison: Comparison): string[] {
  const found: string[] = [];
  const differ = (what: string, mine: unknown, theirs: unknown) => {
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) found.push(`${what}: ${JSON.stringify(mine)}, vendor ${JSON.stringify(theirs)}`);
  };
  const ourName = (name: string) => comparison.ourSchema?.[name] ?? name;
  differ('operationId', comparison.operationIds?.[ours.operationId] ?? ours.operationId, vendor.operationId);
  differ('method', ours.method, vendor.method);
  differ('path', ours.path, comparison.ourPath(vendor.path));
  differ(
    'path parameters',
    ours.pathParameters,
    vendor.pathParameters.map((name) => ({ name, required: true })),
  );
  // Query parameters are named, so their order is not part of the interface.
  differ('query parameters', [...ours.queryParameters].sort(), [...vendor.queryParameters].sort());
  const theirBody = vendor.requestBody && { schema: ourName(vendor.requestBody.schema), required: vendor.requestBody.required };
  differ('request body', ours.requestBody, theirBody);
  for (const status of vendor.statuses) {
    const mine = ours.responses[status];
    if (!mine) {
      found.push(`status ${status}: missing`);
      continue;
    }
    const theirs = vendor.bodies[status];
    // A facts schema that is a bare type (the session token, a string) is compared by type and
    // format, as the vendor declares it inline; a structure by its name.
    const bare = theirs === undefined ? undefined : comparison.factsSchema(theirs);
    const expected =
      theirs === undefined ? 'no body' : bare?.['type'] === 'object' || bare?.['type'] === undefined ? ourName(theirs) : bodyLine(bare);
    differ(`status ${status} body`, bodyLine(mine.schema), expected);
  }
  for (const status of Object.keys(ours.responses)) if (!vendor.statuses.includes(status)) found.push(`status ${status}: not the vendor's`);
  const theirSchemes = vendor.security.map((scheme) => comparison.ourScheme?.[scheme] ?? scheme);
  for (const scheme of theirSchemes) if (!ours.security.includes(scheme)) found.push(`security ${scheme}: missing`);
  for (const scheme of ours.security) if (!theirSchemes.includes(scheme)) found.push(`security ${scheme}: not the vendor's`);
  return found;
}
