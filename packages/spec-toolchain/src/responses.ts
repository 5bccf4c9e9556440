import { readFile } from 'node:fs/promises';
import { redoclyCore } from './deps.js';
import { isRecord } from './registry.js';

/** One documented response of one operation, with what its JSON body promises. */
export interface DocumentedResponse {
  operationId: string;
  method: string;
  path: string;
  /** A status code, or `default`. */
  status: string;
  /** Name of the `#/components/schemas/…` its JSON body follows, when it is a component. */
  schema: string | undefined;
  /** Its JSON examples by name; a single `example` is named "example". */
  examples: Record<string, unknown>;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The last segment of a local `$ref`, e.g. `ListResult` for `#/components/schemas/ListResult`. */
function refName(value: unknown): string | undefined {
  return isRecord(value) && typeof value['$ref'] === 'string' ? value['$ref'].split('/').pop() : undefined;
}

/**
 * Every operation × documented response of a spec, `$ref`s to `components/responses` followed.
 * The one walk of a spec's responses that coverage, contract tests and example checks share.
 */
export async function documentedResponses(specPath: string): Promise<DocumentedResponse[]> {
  const document: unknown = redoclyCore.parseYaml(await readFile(specPath, 'utf8'));
  const root = isRecord(document) ? document : {};
  const paths = isRecord(root['paths']) ? root['paths'] : {};
  const components = isRecord(root['components']) ? root['components'] : {};
  const shared = isRecord(components['responses']) ? components['responses'] : {};
  const found: DocumentedResponse[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const responses = isRecord(operation['responses']) ? operation['responses'] : {};
      for (const [status, declared] of Object.entries(responses)) {
        const name = refName(declared);
        const response = name === undefined ? declared : shared[name];
        const content = isRecord(response) && isRecord(response['content']) ? response['content'] : {};
        const media = isRecord(content['application/json']) ? content['application/json'] : {};
        const examples: Record<string, unknown> = {};
        if (media['example'] !== undefined) examples['example'] = media['example'];
        for (const [key, example] of Object.entries(isRecord(media['examples']) ? media['examples'] : {})) {
          if (isRecord(example)) examples[key] = example['value'];
        }
        found.push({ operationId: String(operation['operationId']), method, path, status, schema: refName(media['schema']), examples });
      }
    }
  }
  return found;
}
