// Lets the TypeScript compiler judge whether code written against the previous generated types
// still compiles against the current ones. We only enumerate what to compare (operations,
// statuses, media types); every verdict is the compiler's assignability check, so the rules are
// exactly TypeScript's, not a home-made schema differ.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { METHODS } from '../responses.js';
import type { Change } from './change.js';

/** What a generated `paths` interface offers: operation → status → media types. */
interface Operation {
  path: string;
  method: string;
  hasRequestBody: boolean;
  responses: Map<string, string[]>;
}

interface Check {
  where: string;
  /** `response`: old code reads it; `request`: old code sends it. */
  direction: 'response' | 'request';
  /** `values`: the assignability of the types themselves; `shape`: every property path still exists. */
  kind: 'values' | 'shape';
  /** Property path from `where` to the compared types. */
  prefix?: string;
  from: string;
  to: string;
}

const PRELUDE = `import type * as Old from './old.js';
import type * as New from './new.js';
// Every property path of T, with every leaf type erased: Shape<New> is assignable to Shape<Old>
// exactly when no property that code could name has disappeared.
type Defined<T> = Exclude<T, undefined | null>;
type Shape<T> = [T] extends [never] ? unknown : T extends object ? { [K in keyof T]-?: Shape<Defined<T[K]>> } : unknown;
declare function check<To>(value: To): void;
`;

function literal(text: string): string {
  return JSON.stringify(text);
}

function operationsOf(checker: ts.TypeChecker, file: ts.SourceFile): Map<string, Operation> {
  const found = new Map<string, Operation>();
  const symbol = checker.getSymbolAtLocation(file);
  const paths = symbol && checker.getExportsOfModule(symbol).find((s) => s.name === 'paths');
  if (!paths) return found;
  const pathsType = checker.getDeclaredTypeOfSymbol(paths);
  const propertyType = (type: ts.Type, name: string): ts.Type | undefined => {
    const property = type.getProperty(name);
    if (!property) return undefined;
    const resolved = checker.getNonNullableType(checker.getTypeOfSymbol(property));
    return resolved.flags & ts.TypeFlags.Never ? undefined : resolved;
  };
  for (const pathSymbol of pathsType.getProperties()) {
    const item = checker.getTypeOfSymbol(pathSymbol);
    for (const method of METHODS) {
      const operation = propertyType(item, method);
      if (!operation) continue;
      const responses = new Map<string, string[]>();
      const responsesType = propertyType(operation, 'responses');
      for (const status of responsesType?.getProperties() ?? []) {
        const content = propertyType(checker.getTypeOfSymbol(status), 'content');
        responses.set(status.name, content?.getProperties().map((media) => media.name) ?? []);
      }
      found.set(`${method.toUpperCase()} ${pathSymbol.name}`, {
        path: pathSymbol.name,
        method,
        hasRequestBody: propertyType(operation, 'requestBody') !== undefined,
        responses,
      });
    }
  }
  return found;
}

function checksFor(previous: Operation, current: Operation, changes: Change[]): Check[] {
  const name = `${previous.method.toUpperCase()} ${previous.path}`;
  const op = (side: 'Old' | 'New') => `${side}.paths[${literal(previous.path)}][${literal(previous.method)}]`;
  const checks: Check[] = [];
  const pair = (where: string, direction: Check['direction'], access: string) => {
    // Requests: what old code sends must be accepted. Responses: what the API now returns must fit old code.
    const [from, to] = direction === 'request' ? (['Old', 'New'] as const) : (['New', 'Old'] as const);
    // Shape first: a removed property is reported as removed, not as a type mismatch.
    checks.push({ where, direction, kind: 'shape', from: `Shape<${op('New')}${access}>`, to: `Shape<${op('Old')}${access}>` });
    checks.push({ where, direction, kind: 'values', from: `${op(from)}${access}`, to: `${op(to)}${access}` });
  };
  pair(`${name} parameters`, 'request', `["parameters"]`);
  // Once more per location without its optionality, so a newly required parameter is named.
  for (const location of ['query', 'header', 'path', 'cookie']) {
    const access = `["parameters"][${literal(location)}]`;
    checks.push({
      where: `${name} parameters`,
      direction: 'request',
      kind: 'values',
      prefix: location,
      from: `Defined<${op('Old')}${access}>`,
      to: `Defined<${op('New')}${access}>`,
    });
  }
  if (previous.hasRequestBody || current.hasRequestBody) pair(`${name} request body`, 'request', `["requestBody"]`);
  for (const [status, media] of previous.responses) {
    const now = current.responses.get(status);
    if (!now) {
      const success = /^2/.test(status);
      changes.push({
        breaking: success,
        where: `${name} response ${status}`,
        why: success
          ? 'the success response is no longer documented: code that reads it no longer compiles'
          : 'the response is no longer documented (clients still decode it as an error)',
      });
      continue;
    }
    for (const type of media) {
      const where = `${name} response ${status} ${type}`;
      if (!now.includes(type)) {
        changes.push({ breaking: true, where, why: `the API no longer answers ${type}: code that reads it no longer compiles` });
        continue;
      }
      pair(where, 'response', `["responses"][${literal(status)}]["content"][${literal(type)}]`);
    }
  }
  return checks;
}

// "Types of property 'x' are incompatible" (and friends) name the step into a property; the
// last message of the chain says what is wrong there.
const PROPERTY_STEP = /^Types of property '([^']+)' are incompatible\.$/;
const PROPERTIES_STEP = /^The types of '([^']+)' are incompatible between these types\.$/;
const MISSING = /^Property '([^']+)' is missing in type .* but required in type /;
const MISSING_OPTIONAL = /^Property '([^']+)' is optional in type .* but required in type /;

function chainOf(message: ts.DiagnosticMessageChain | string): string[] {
  if (typeof message === 'string') return [message];
  const lines = [message.messageText];
  let next = message.next?.[0];
  while (next) {
    lines.push(next.messageText);
    next = next.next?.[0];
  }
  return lines;
}

function shorten(message: string): string {
  // Inline object types make messages unreadable; keep literal and short names.
  return message.replace(/'([^']{60,})'/g, "'…'");
}

function explain(check: Check, diagnostic: ts.Diagnostic): Change {
  const chain = chainOf(diagnostic.messageText);
  const steps: string[] = [];
  for (const line of chain) {
    const step = PROPERTY_STEP.exec(line)?.[1] ?? PROPERTIES_STEP.exec(line)?.[1];
    if (step) steps.push(step);
  }
  const leaf = chain.at(-1) ?? '';
  const missing = MISSING.exec(leaf)?.[1];
  const optional = MISSING_OPTIONAL.exec(leaf)?.[1];
  const property = [check.prefix, ...steps, missing ?? optional].filter(Boolean).join('.');
  const nowRequired = /^Type 'undefined' is not assignable to type /.test(leaf);
  const at = property ? ` ${property}` : '';
  let why: string;
  if (check.kind === 'shape') {
    why =
      check.direction === 'response'
        ? 'removed from the response: code that reads it no longer compiles'
        : 'request field removed: code that sends it no longer compiles';
  } else if (check.direction === 'response') {
    why =
      optional || nowRequired
        ? 'no longer always present in the response: code that relies on it no longer compiles'
        : `the response may now hold values old code does not expect (${shorten(leaf)})`;
  } else {
    why =
      missing || nowRequired
        ? 'now required in the request: calls that omit it no longer compile'
        : `requests valid before are no longer accepted (${shorten(leaf)})`;
  }
  return { breaking: true, where: `${check.where}${at}`, why };
}

/**
 * Compares two generated type files (openapi-typescript output) as a client would experience
 * the change; returns every breaking change found (empty: code compiled against `previous`
 * still compiles against `current`).
 */
export async function compareGeneratedTypes(previous: string, current: string): Promise<Change[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-breaking-'));
  try {
    const oldFile = path.join(dir, 'old.ts');
    const newFile = path.join(dir, 'new.ts');
    const checkFile = path.join(dir, 'check.ts');
    await writeFile(oldFile, previous);
    await writeFile(newFile, current);
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }');
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      // The generated types need only ES5's utility types; the full default lib triples the time.
      lib: ['lib.es5.d.ts'],
    };
    const host = ts.createCompilerHost(options);
    const structure = ts.createProgram([oldFile, newFile], options, host);
    const checker = structure.getTypeChecker();
    const before = operationsOf(checker, structure.getSourceFile(oldFile)!);
    const after = operationsOf(checker, structure.getSourceFile(newFile)!);

    const changes: Change[] = [];
    const checks: Check[] = [];
    for (const [name, operation] of before) {
      const now = after.get(name);
      if (!now) changes.push({ breaking: true, where: name, why: 'operation removed: code that calls it no longer compiles' });
      else checks.push(...checksFor(operation, now, changes));
    }
    // One check per line, so each diagnostic maps back to its check.
    const lines = checks.map((c) => `check<${c.to}>(null as unknown as ${c.from});`);
    const firstLine = PRELUDE.split('\n').length - 1;
    await writeFile(checkFile, `${PRELUDE + lines.join('\n')}\n`);
    const program = ts.createProgram([checkFile], options, host, structure);
    const seen = new Set<string>();
    for (const diagnostic of ts.getPreEmitDiagnostics(program, program.getSourceFile(checkFile))) {
      const line =
        diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
      const check = checks[line - firstLine];
      if (!check)
        throw new Error(
          `breaking-change check: unexpected compiler message: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
        );
      const change = explain(check, diagnostic);
      // A removed property fails both checks of a response; say it once.
      const key = `${change.where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      changes.push(change);
    }
    return changes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
