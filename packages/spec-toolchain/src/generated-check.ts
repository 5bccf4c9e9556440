import { createRequire } from 'node:module';
import type { Document } from '@redocly/openapi-core';
import type * as TypeScript from 'typescript';
import type { SpecProblem } from './problem.js';
import { isRecord } from './registry.js';
import { escapePointer, pointerPlace, problemAt } from './spec-place.js';

// The TypeScript openapi-typescript loaded already (a require of the same file): no second copy.
const require = createRequire(import.meta.url);
const loadTypescript = (): typeof TypeScript => require('typescript') as typeof TypeScript;

/**
 * The part of TypeScript's standard library that generated types use, as a stand-in: checking
 * against it costs a fraction of parsing lib.es5.d.ts (0.14 s of CPU instead of 0.64 s for the
 * first spec of a process). Only when the file fails against it is the real library read, so an
 * error is always TypeScript's own verdict.
 */
const CORE_LIB = `
interface Array<T> { length: number; [n: number]: T; }
interface ReadonlyArray<T> { readonly length: number; readonly [n: number]: T; }
interface Boolean {} interface Function {} interface CallableFunction {} interface NewableFunction {}
interface IArguments {} interface Number {} interface Object {} interface RegExp {} interface String {}
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
`;
const CORE_LIB_FILE = '/vmtasks-codegen/core-lib.d.ts';

/** One compile error of a generated file, 1-based. */
export interface GeneratedError {
  line: number;
  column: number;
  code: number;
  message: string;
}

/**
 * The compile errors of a generated types file, checked alone (it imports nothing), in memory:
 * what \`tsc\` would say of it in the client package. See CORE_LIB.
 */
export function generatedTypeErrors(fileName: string, content: string): GeneratedError[] {
  const errors = typeErrors(fileName, content, true);
  return errors.length === 0 ? errors : typeErrors(fileName, content, false);
}

function typeErrors(fileName: string, content: string, coreLib: boolean): GeneratedError[] {
  const ts = loadTypescript();
  const options: TypeScript.CompilerOptions = {
    noLib: coreLib,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    noResolve: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
  };
  const host = ts.createCompilerHost(options);
  const generated = ts.createSourceFile(fileName, content, ts.ScriptTarget.ES2022, true);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, languageVersion) => {
    if (file === fileName) return generated;
    if (file === CORE_LIB_FILE) return ts.createSourceFile(file, CORE_LIB, languageVersion);
    return readSourceFile(file, languageVersion);
  };
  const program = ts.createProgram({ rootNames: coreLib ? [CORE_LIB_FILE, fileName] : [fileName], options, host });
  const diagnostics = [...program.getSyntacticDiagnostics(generated), ...program.getSemanticDiagnostics(generated)];
  return diagnostics.map((diagnostic) => {
    const { line, character } = generated.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return {
      line: line + 1,
      column: character + 1,
      code: diagnostic.code,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
    };
  });
}

// `export const taskStateValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Task"]["state"]> = …`
const ENUM_VALUES = /^export const (\w+): ReadonlyArray<FlattenedDeepRequired<components>((?:\["[^"]*"\])+)>/;

/**
 * Where in the spec an enum's value list comes from: `["schemas"]["Task"]["state"]` is the
 * schema Task's property `state` (or its `additionalProperties`' / `items`' one).
 */
function enumPointer(spec: unknown, keys: readonly string[]): string {
  let node: unknown = isRecord(spec) ? spec['components'] : undefined;
  const pointer = ['components'];
  for (const key of keys) {
    const next = stepInto(node, key);
    if (!next) break;
    pointer.push(...next.path);
    node = next.node;
  }
  return `#/${pointer.map(escapePointer).join('/')}`;
}

function stepInto(node: unknown, key: string): { path: string[]; node: unknown } | undefined {
  if (!isRecord(node)) return undefined;
  if (key in node && !['properties', 'items', 'additionalProperties'].includes(key)) return { path: [key], node: node[key] };
  const properties = node['properties'];
  if (isRecord(properties) && key in properties) return { path: ['properties', key], node: properties[key] };
  for (const holder of ['items', 'additionalProperties']) {
    const inner = stepInto(node[holder], key);
    if (inner) return { path: [holder, ...inner.path], node: inner.node };
  }
  return undefined;
}

/**
 * The problems of a spec whose generated types do not compile. Two enums that openapi-typescript
 * gives the same value-list name (an inline `Task.state` beside a schema `TaskState`) are said at
 * each enum's line in the spec; anything else at the spec's start, with the generated line.
 */
export function generatedProblems(errors: readonly GeneratedError[], content: string, root: Document, rootDir: string): SpecProblem[] {
  const lines = content.split('\n');
  const declarations = new Map<string, string[]>();
  for (const line of lines) {
    const match = ENUM_VALUES.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const keys = [...match[2].matchAll(/\["([^"]*)"\]/g)].map((key) => key[1] ?? '');
    declarations.set(match[1], [...(declarations.get(match[1]) ?? []), enumPointer(root.parsed, keys)]);
  }
  const problems: SpecProblem[] = [];
  const clashes = new Set<string>();
  for (const error of errors) {
    const name = /^export const (\w+)/.exec(lines[error.line - 1] ?? '')?.[1];
    const pointers = name ? (declarations.get(name) ?? []) : [];
    if (error.code === 2451 && name && pointers.length > 1) {
      // TypeScript reports each of the declarations; the spec's enums are said once each.
      if (clashes.has(name)) continue;
      clashes.add(name);
      for (const pointer of pointers) {
        const others = pointers.filter((other) => other !== pointer).join(', ');
        const message = `this enum's value list would be exported as \`${name}\`, the name ${others} gets too: rename one of the two (or $ref one enum from both places)`;
        problems.push(problemAt(pointerPlace(root.source, pointer, true), rootDir, 'generated-name-clash', message));
      }
      continue;
    }
    problems.push(
      problemAt(
        { file: root.source.absoluteRef, line: 1, column: 1 },
        rootDir,
        'generated-code-invalid',
        `the generated types do not compile (line ${error.line}:${error.column}: TS${error.code} ${error.message})`,
      ),
    );
  }
  return problems;
}
