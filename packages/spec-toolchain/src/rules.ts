import { isRecord } from './registry.js';
import { METHODS } from './responses.js';

/**
 * Rules between parameters that OpenAPI cannot state, read from the operations' vendor
 * extensions and emitted next to the generated types, so that clients, simulators and tests take
 * them from the spec instead of a hand-copied list.
 *
 * `x-vmtasks-require-any-of: [a, b]` on an operation: at least one of these query parameters
 * must be present with at least one value.
 */
export const REQUIRE_ANY_OF = 'x-vmtasks-require-any-of';

export interface ParameterRule {
  requireAnyOf: string[];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The names of the query parameters among `parameters`, local `$ref`s followed. */
function queryParameterNames(document: unknown, parameters: unknown[]): Set<string> {
  const names = new Set<string>();
  for (const declared of parameters) {
    let parameter = declared;
    if (isRecord(parameter) && typeof parameter['$ref'] === 'string') {
      parameter = parameter['$ref']
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), document);
    }
    if (isRecord(parameter) && parameter['in'] === 'query' && typeof parameter['name'] === 'string') names.add(parameter['name']);
  }
  return names;
}

/** Every operation's rules, by operationId, in the spec's order. */
export function parameterRules(document: unknown): Map<string, ParameterRule> {
  const rules = new Map<string, ParameterRule>();
  const paths = isRecord(document) && isRecord(document['paths']) ? document['paths'] : {};
  for (const pathItem of Object.values(paths)) {
    if (!isRecord(pathItem)) continue;
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation) || typeof operation['operationId'] !== 'string') continue;
      const anyOf = operation[REQUIRE_ANY_OF];
      if (anyOf === undefined) continue;
      if (!Array.isArray(anyOf) || anyOf.length === 0 || !anyOf.every((name) => typeof name === 'string')) {
        throw new TypeError(`${operation['operationId']}: ${REQUIRE_ANY_OF} must be a non-empty list of parameter names`);
      }
      const known = queryParameterNames(document, [...asList(pathItem['parameters']), ...asList(operation['parameters'])]);
      const unknown = anyOf.filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new TypeError(`${operation['operationId']}: ${REQUIRE_ANY_OF} names ${unknown.join(', ')}, which is not a query parameter of the operation`);
      }
      rules.set(operation['operationId'], { requireAnyOf: anyOf });
    }
  }
  return rules;
}

/** The TypeScript appended to the generated types: `export const parameterRules = {…} as const;`. */
export function renderParameterRules(document: unknown): string {
  const entries = [...parameterRules(document)].map(
    ([operationId, rule]) => `  ${JSON.stringify(operationId)}: { requireAnyOf: ${JSON.stringify(rule.requireAnyOf)} },\n`,
  );
  return (
    `/** Rules between parameters that OpenAPI cannot state (from each operation's \`${REQUIRE_ANY_OF}\`). */\n` +
    `export const parameterRules = {${entries.length ? `\n${entries.join('')}` : ''}} as const;\n`
  );
}
