// A fleet config file: named contexts of appliances (config.schema.json). Read, checked against
// the schema and the API table, and every problem said as one line `file:line:col what is wrong`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { apiNamed, TASK_APIS, type ApplianceEntry } from '../apis/index.js';
import { UsageError } from '../exit-codes.js';

// ajv and yaml are loaded when a config file is read: together they cost every other run of the
// command ~0.2 s of start-up. `require` (both ship CommonJS) keeps reading the file synchronous.
const require = createRequire(import.meta.url);
let yamlModule: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlModule ??= require('yaml') as typeof Yaml);

export const CONFIG_SCHEMA_URL = new URL('../../config.schema.json', import.meta.url);

interface FleetFile {
  currentContext?: string;
  contexts: Record<string, { appliances: ApplianceEntry[] }>;
}

/** One context of a fleet config, ready to connect: its appliances, and where each was written. */
export interface FleetContext {
  file: string;
  name: string;
  appliances: ApplianceEntry[];
  /** `file:line:col` of an appliance (by index), for problems found later (its secret, its CA file). */
  where(index: number, field?: string): string;
  /** The directory relative paths (`caFile`) are read from. */
  dir: string;
}

let validator: ReturnType<Ajv2020['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= new (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020({ allErrors: true, strict: true }).compile(
    JSON.parse(readFileSync(CONFIG_SCHEMA_URL, 'utf8')) as object,
  );
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** The path of a JSON pointer (`/contexts/lab/appliances/0`) as keys. */
const keysOf = (pointer: string): (string | number)[] =>
  pointer
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((key) => (/^\d+$/.test(key) ? Number(key) : key));

/** `contexts.lab.appliances[0].url`, for messages. */
const dotted = (keys: readonly (string | number)[]): string =>
  keys.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${key}`)).join('');

class Positions {
  readonly #lines = new (yaml().LineCounter)();
  readonly document: Document;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.document = yaml().parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
  }

  /** `file:line:col` of an offset. */
  at(offset: number): string {
    const { line, col } = this.#lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  /** The node at `keys`, or the key of `key` in it (an unknown key), or the nearest node that exists. */
  of(keys: readonly (string | number)[], key?: string): string {
    const { isMap, isScalar, isSeq } = yaml();
    let node: unknown = this.document.contents;
    for (const each of keys) {
      const next = isMap(node) || isSeq(node) ? node.get(each, true) : undefined;
      if (next === undefined) break;
      node = next;
    }
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return this.at(pair.key.range[0]);
    }
    const range = (node as Node | null | undefined)?.range;
    return this.at(range ? range[0] : 0);
  }
}

/** One line for the first schema error: where, and what is wrong there. */
function describe(error: ErrorObject, positions: Positions): string {
  const keys = keysOf(error.instancePath);
  const where = dotted(keys) || 'the file';
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return `${positions.of(keys, key)} unknown key ${JSON.stringify(key)} in ${where}`;
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return `${positions.of(keys)} ${where} has no ${JSON.stringify(missing)}`;
  }
  if (error.keyword === 'minProperties' || error.keyword === 'maxProperties') {
    if (keys.at(-1) === 'secret') return `${positions.of(keys)} ${where} must be { env: NAME } or { command: [program, arg…] }`;
  }
  return `${positions.of(keys)} ${where} ${error.message ?? 'is not valid'}`;
}

/** The schema's errors, most specific first (deepest instance path), so the one line names the innermost problem. */
const mostSpecific = (errors: ErrorObject[]): ErrorObject =>
  errors.reduce((best, each) => (each.instancePath.length > best.instancePath.length ? each : best), errors[0]!);

/**
 * Reads `file` and picks the context: `context` (`--context`), else the file's `currentContext`,
 * else its only one. Exit 2 with `file:line:col what is wrong` for a file that is not YAML, does
 * not match the schema, names an API the CLI does not know, repeats an appliance name in a
 * context, or has no such context.
 */
export function readFleetConfig(file: string, context: string | undefined): FleetContext {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const positions = new Positions(file, text);
  const [yamlError] = positions.document.errors;
  if (yamlError) throw new UsageError(`${positions.at(yamlError.pos[0])} ${yamlError.message.split('\n')[0]}`);
  const data = positions.document.toJS() as unknown;
  const errors = validate(data ?? {});
  if (errors.length > 0) throw new UsageError(describe(mostSpecific(errors), positions));
  const fleet = data as FleetFile;

  for (const [name, { appliances }] of Object.entries(fleet.contexts)) {
    const seen = new Set<string>();
    appliances.forEach((appliance, i) => {
      const at = ['contexts', name, 'appliances', i];
      if (!apiNamed(appliance.api))
        throw new UsageError(
          `${positions.of([...at, 'api'])} unknown API ${JSON.stringify(appliance.api)}: one of ${TASK_APIS.map((api) => api.name).join(', ')}`,
        );
      if (seen.has(appliance.name))
        throw new UsageError(
          `${positions.of([...at, 'name'])} appliance name ${JSON.stringify(appliance.name)} is used twice in context ${name}`,
        );
      seen.add(appliance.name);
    });
  }

  const names = Object.keys(fleet.contexts);
  const chosen = context ?? fleet.currentContext ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined)
    throw new UsageError(`${positions.of([])} no currentContext: set one, or pass --context NAME (one of ${names.join(', ')})`);
  if (!Object.hasOwn(fleet.contexts, chosen)) {
    const where = context === undefined ? positions.of(['currentContext']) : positions.of(['contexts']);
    throw new UsageError(`${where} no context ${JSON.stringify(chosen)}: one of ${names.join(', ')}`);
  }
  return {
    file,
    name: chosen,
    appliances: fleet.contexts[chosen]!.appliances,
    dir: path.dirname(path.resolve(file)),
    where: (index, field) => positions.of(['contexts', chosen, 'appliances', index, ...(field ? [field] : [])]),
  };
}
