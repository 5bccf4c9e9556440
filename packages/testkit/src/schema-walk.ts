// Walking an OpenAPI document's schemas by the path of a field (`items[].info.status`), and
// listing the field paths of a JSON value the same way: how a vendor's field list is checked
// against a spec, and a vendor's example against that list.

export type Schema = Record<string, unknown>;

export function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A schema with its local `$ref`s followed and an `allOf` merged: the union of the parts'
 * keywords and properties, which is enough for the shapes these specs use.
 */
export function resolveSchema(document: Schema, schema: unknown): Schema {
  let current = isSchema(schema) ? schema : {};
  while (typeof current['$ref'] === 'string') {
    const target = current['$ref']
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (isSchema(node) ? node[key] : undefined), document);
    current = isSchema(target) ? target : {};
  }
  if (Array.isArray(current['allOf'])) {
    const parts = current['allOf'].map((part) => resolveSchema(document, part));
    const properties = Object.assign(
      {},
      ...parts.map((part) => (isSchema(part['properties']) ? part['properties'] : {})),
      current['properties'],
    );
    const required = parts.flatMap((part) => (Array.isArray(part['required']) ? part['required'] : []));
    return { ...Object.assign({}, ...parts), ...current, allOf: undefined, properties, required };
  }
  return current;
}

/** `items[].info` → `['items', '[]', 'info']`. */
function segments(fieldPath: string): string[] {
  return fieldPath.split('.').flatMap((part) => {
    const name = part.replace(/(\[\])+$/, '');
    const arrays = (part.length - name.length) / 2;
    return [name, ...Array<string>(arrays).fill('[]')].filter((segment) => segment !== '');
  });
}

/** The alternatives a schema allows (`anyOf`/`oneOf` branches, resolved), or the schema itself. */
export function alternatives(document: Schema, schema: unknown): Schema[] {
  const resolved = resolveSchema(document, schema);
  const branches = [resolved['anyOf'], resolved['oneOf']].find(Array.isArray);
  return branches ? branches.map((branch) => resolveSchema(document, branch)) : [resolved];
}

function step(document: Schema, schema: Schema, segment: string): Schema | undefined {
  for (const candidate of alternatives(document, schema)) {
    if (segment === '[]') {
      if (isSchema(candidate['items'])) return resolveSchema(document, candidate['items']);
      continue;
    }
    const properties = isSchema(candidate['properties']) ? candidate['properties'] : {};
    const extra = candidate['additionalProperties'];
    const next = properties[segment] ?? (isSchema(extra) ? extra : extra === true ? {} : undefined);
    if (next !== undefined) return resolveSchema(document, next);
  }
  return undefined;
}

/**
 * The schema of the field at `fieldPath` under `#/components/schemas/<root>`, or undefined when
 * the spec has no such field (a named property, or any key of a map).
 */
export function schemaAt(document: Schema, root: string, fieldPath: string): Schema | undefined {
  let current: Schema | undefined = resolveSchema(document, { $ref: `#/components/schemas/${root}` });
  for (const segment of segments(fieldPath)) {
    if (current === undefined) return undefined;
    current = step(document, current, segment);
  }
  return current;
}

function fieldPaths(value: unknown, at: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    const here = `${at}[]`;
    return [here, ...value.flatMap((item) => fieldPaths(item, here))];
  }
  if (!isSchema(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const here = at ? `${at}.${key}` : key;
    return [here, ...fieldPaths(item, here)];
  });
}

/** Every field path of a JSON value, once, parents first: `{ a: [{ b: 1 }] }` → `a`, `a[]`, `a[].b`. */
export function jsonPaths(value: unknown): string[] {
  return [...new Set(fieldPaths(value, ''))];
}
