import { readFile } from 'node:fs/promises';
import { parseYaml } from '@redocly/openapi-core';
import { isSchema, resolveSchema, type Schema } from './schema-walk.js';
import { seedsDir } from './vendor-files.js';

/** A JSON body shown on a vendor's reference page, with the line of text just before it. */
export interface SeedExample {
  /** The text line that introduces the body (e.g. `com.vmware.vapi.std.errors.unauthorized : …`). */
  caption: string;
  /** 1-based line of the body's opening brace in the seed file. */
  line: number;
  value: unknown;
}

/**
 * The top-level JSON bodies of a reference page saved as text (`<seedsDir>/*.txt`): each
 * starts with a `{` at the start of a line and ends where its braces balance.
 */
export async function seedExamples(file: string): Promise<SeedExample[]> {
  const lines = (await readFile(seedsDir().file(file), 'utf8')).split('\n');
  const found: SeedExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]?.startsWith('{')) continue;
    let depth = 0;
    let end = i;
    for (; end < lines.length; end++) {
      for (const char of lines[end] ?? '') depth += char === '{' || char === '[' ? 1 : char === '}' || char === ']' ? -1 : 0;
      if (depth === 0) break;
    }
    const caption =
      lines
        .slice(0, i)
        .reverse()
        .find((line) => line.trim() !== '') ?? '';
    found.push({ caption, line: i + 1, value: JSON.parse(lines.slice(i, end + 1).join('\n')) as unknown });
    i = end;
  }
  return found;
}

/** A YAML (or JSON) document from disk, parsed as Redocly parses specs. */
export async function loadYamlDocument(file: string): Promise<unknown> {
  return parseYaml(await readFile(file, 'utf8'));
}

/**
 * Reference pages show the *type* where a value goes: `"string"` for an enum or a date-time,
 * `"number"` for a double, `"Std_LocalizableMessage Object"` for a nested object. This puts a
 * value of the documented kind in each such place, guided by the spec's schema, and leaves every
 * real value alone, so the page's example can be validated for what it does say.
 */
export class PlaceholderFiller {
  private constructor(private readonly document: Schema) {}

  static async load(specPath: string): Promise<PlaceholderFiller> {
    const document = await loadYamlDocument(specPath);
    if (!isSchema(document)) throw new TypeError(`${specPath} is not an OpenAPI document`);
    return new PlaceholderFiller(document);
  }

  fill(value: unknown, schemaName: string): unknown {
    return this.fillValue(value, { $ref: `#/components/schemas/${schemaName}` });
  }

  private resolve(schema: unknown): Schema {
    return resolveSchema(this.document, schema);
  }

  private fillValue(value: unknown, schemaRef: unknown): unknown {
    const schema = this.resolve(schemaRef);
    if (typeof value === 'string') return this.fillString(value, schema);
    if (Array.isArray(value)) return value.map((item) => this.fillValue(item, schema['items']));
    if (!isSchema(value)) return value;
    const properties = isSchema(schema['properties']) ? schema['properties'] : {};
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, this.fillValue(item, properties[key] ?? schema['additionalProperties'])]),
    );
  }

  private fillString(value: string, schema: Schema): unknown {
    if (Array.isArray(schema['enum'])) return schema['enum'].includes(value) ? value : schema['enum'][0];
    if (schema['format'] === 'date-time' && value === 'string') return '2024-01-01T00:00:00Z';
    if (schema['type'] === 'number' && value === 'number') return 0.5;
    if (schema['type'] === 'integer' && value === 'integer') return 0;
    if (/^\S+ Object$/.test(value)) return this.minimal(schema);
    return value;
  }

  /** The smallest value of a schema: its required properties, each at its smallest. */
  private minimal(schemaRef: unknown): unknown {
    const schema = this.resolve(schemaRef);
    if (Array.isArray(schema['enum'])) return schema['enum'][0];
    switch (schema['type']) {
      case 'array':
        return [];
      case 'string':
        return schema['format'] === 'date-time' ? '2024-01-01T00:00:00Z' : 'string';
      case 'integer':
      case 'number':
        return 0;
      case 'boolean':
        return false;
    }
    const properties = isSchema(schema['properties']) ? schema['properties'] : {};
    const required = Array.isArray(schema['required']) ? schema['required'].filter((key): key is string => typeof key === 'string') : [];
    return Object.fromEntries(required.map((key) => [key, this.minimal(properties[key])]));
  }
}
