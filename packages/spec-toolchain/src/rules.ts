import type { Document } from '@redocly/openapi-core';
import type { SpecProblem } from './problem.js';
import { isRecord } from './registry.js';
import { escapePointer, pointerPlace, problemAt } from './spec-place.js';
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

/** An operation's rule that cannot work, at the JSON pointer of its `x-vmtasks-require-any-of`. */
interface RuleMistake {
  pointer: string;
  message: string;
}

/** Every operation's rules, by operationId, in the spec's order, and the rules that cannot work. */
function readParameterRules(document: unknown): { rules: Map<string, ParameterRule>; mistakes: RuleMistake[] } {
  const rules = new Map<string, ParameterRule>();
  const mistakes: RuleMistake[] = [];
  const paths = isRecord(document) && isRecord(document['paths']) ? document['paths'] : {};
  for (const [route, pathItem] of Object.entries(paths)) {
    if (!isRecord(pathItem)) continue;
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation)) continue;
      const anyOf = operation[REQUIRE_ANY_OF];
      if (anyOf === undefined) continue;
      const pointer = `#/paths/${escapePointer(route)}/${method}/${REQUIRE_ANY_OF}`;
      const id = typeof operation['operationId'] === 'string' ? operation['operationId'] : undefined;
      if (id === undefined) {
        mistakes.push({ pointer, message: `${REQUIRE_ANY_OF} needs the operation to have an operationId (the rules are keyed by it)` });
        continue;
      }
      if (!Array.isArray(anyOf) || anyOf.length === 0 || !anyOf.every((name) => typeof name === 'string')) {
        mistakes.push({ pointer, message: `${id}: ${REQUIRE_ANY_OF} must be a non-empty list of parameter names` });
        continue;
      }
      const known = queryParameterNames(document, [...asList(pathItem['parameters']), ...asList(operation['parameters'])]);
      const unknown = anyOf.filter((name) => !known.has(name));
      if (unknown.length > 0) {
        mistakes.push({
          pointer,
          message: `${id}: ${REQUIRE_ANY_OF} names ${unknown.join(', ')}, which is not a query parameter of the operation`,
        });
        continue;
      }
      rules.set(id, { requireAnyOf: anyOf });
    }
  }
  return { rules, mistakes };
}

/** Every operation's rules, by operationId, in the spec's order; a rule that cannot work is a TypeError. */
export function parameterRules(document: unknown): Map<string, ParameterRule> {
  const { rules, mistakes } = readParameterRules(document);
  if (mistakes[0]) throw new TypeError(mistakes[0].message);
  return rules;
}

/** The parameter rules of a parsed spec that cannot work, as lint problems at their lines. */
export function parameterRuleProblems(document: Document, rootDir: string): SpecProblem[] {
  return readParameterRules(document.parsed).mistakes.map((mistake) =>
    problemAt(pointerPlace(document.source, mistake.pointer, true), rootDir, 'vmtasks-require-any-of', mistake.message),
  );
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
