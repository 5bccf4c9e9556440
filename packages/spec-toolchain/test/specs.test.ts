// Every example of every spec in redocly.yaml validates against its schema. (What each API never
// sends, its schemas reject: tested in the API's own package, src/spec.test.ts.)
import path from 'node:path';
import { loadRegistry } from '../src/registry.js';
import { documentedResponses } from '../src/responses.js';
import { loadSpecSchemas } from '../src/schema.js';
import { repo } from '../src/test-workspace.js';
import { describe, expect, it } from 'vitest';

const registry = await loadRegistry(path.join(repo, 'redocly.yaml'));

// Every API of the registry, with no list kept here.
describe.each(registry.apis.map((api) => [api.name, api.root] as const))('%s spec examples', (_name, spec) => {
  it('every response example validates against its schema', async () => {
    const schemas = await loadSpecSchemas(spec);
    const examples = (await documentedResponses(spec)).flatMap((response) =>
      Object.entries(response.examples).map(([name, value]) => ({
        name: `${response.method.toUpperCase()} ${response.path} ${response.status} ${name}`,
        schema: response.schema,
        value,
      })),
    );
    expect(examples.length, 'every documented response has an example').toBeGreaterThan(0);
    for (const example of examples) {
      expect(example.schema, example.name).toBeDefined();
      expect({ example: example.name, ...schemas.check(example.schema ?? '', example.value) }).toEqual({
        example: example.name,
        valid: true,
        errors: [],
      });
    }
  });
});
