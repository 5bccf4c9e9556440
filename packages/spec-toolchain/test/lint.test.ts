// The lint configuration has teeth: each fixture breaks one thing, and `redocly lint` with the
// project's redocly.yaml must report exactly the rule that covers it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseYaml, stringifyYaml } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const redocly = path.join(repo, 'node_modules/.bin/redocly');

type Path = (string | number)[];
/** One change to the valid spec: set the value at a path, or delete the key when `value` is absent. */
type Edit = { at: Path; value?: unknown };

const OPERATION: Path = ['paths', '/things', 'get'];
const EXAMPLE: Path = [...OPERATION, 'responses', '200', 'content', 'application/json', 'example'];

/** Each fixture breaks one thing; `rules` are the rule ids lint must report for it, and no others. */
const fixtures: Record<string, { edits: Edit[]; rules: string[] }> = {
  'invalid-example': { edits: [{ at: [...EXAMPLE, 'size'], value: 'big' }], rules: ['no-invalid-media-type-examples'] },
  'extra-property-in-example': { edits: [{ at: [...EXAMPLE, 'color'], value: 'red' }], rules: ['no-invalid-media-type-examples'] },
  'missing-operation-id': { edits: [{ at: [...OPERATION, 'operationId'] }], rules: ['operation-operationId'] },
  'snake-case-operation-id': {
    edits: [{ at: [...OPERATION, 'operationId'], value: 'list_things' }],
    rules: ['rule/operation-id-camel-case'],
  },
  'wrong-array-style': {
    edits: [{ at: [...OPERATION, 'parameters', 0, 'style'] }, { at: [...OPERATION, 'parameters', 0, 'explode'] }],
    rules: ['array-parameter-serialization'],
  },
  'unknown-ref': {
    edits: [
      { at: [...OPERATION, 'responses', '200', 'content', 'application/json', 'schema', '$ref'], value: '#/components/schemas/Nope' },
    ],
    // Thing is then referenced nowhere.
    rules: ['no-unresolved-refs', 'no-unused-components'],
  },
  'no-4xx-response': { edits: [{ at: [...OPERATION, 'responses', '400'] }], rules: ['operation-4xx-response'] },
  'no-default-response': { edits: [{ at: [...OPERATION, 'responses', 'default'] }], rules: ['rule/operation-default-response'] },
  'keyword-prism-ignores': {
    edits: [{ at: ['components', 'schemas', 'Thing', 'unevaluatedProperties'], value: false }],
    rules: ['rule/no-keywords-prism-ignores'],
  },
  'required-property-undefined': {
    edits: [{ at: ['components', 'schemas', 'Thing', 'required', 1], value: 'weight' }],
    // The example then lacks the required property too.
    rules: ['no-invalid-media-type-examples', 'no-required-schema-properties-undefined'],
  },
  // basicAuth is then used nowhere.
  'unknown-security-scheme': {
    edits: [{ at: ['security', 0], value: { apiKey: [] } }],
    rules: ['no-unused-components', 'security-defined'],
  },
};

function applyEdit(spec: unknown, { at, value }: Edit): void {
  const parentPath = at.slice(0, -1);
  const key = at[at.length - 1];
  let parent: unknown = spec;
  for (const step of parentPath) parent = (parent as Record<string | number, unknown>)[step];
  if (typeof parent !== 'object' || parent === null || key === undefined) throw new Error(`no ${at.join('.')} in the valid fixture`);
  const container = parent as Record<string | number, unknown>;
  if (value === undefined) delete container[key];
  else container[key] = value;
}

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string }[];
}

let scratch: string;
const reports = new Map<string, LintReport>();

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-lint-'));
  const valid = await readFile(path.join(import.meta.dirname, 'fixtures/lint/valid.yaml'), 'utf8');
  const files = [path.join(import.meta.dirname, 'fixtures/lint/valid.yaml')];
  for (const [name, fixture] of Object.entries(fixtures)) {
    const spec: unknown = parseYaml(valid);
    for (const edit of fixture.edits) applyEdit(spec, edit);
    const file = path.join(scratch, `${name}.yaml`);
    await writeFile(file, stringifyYaml(spec));
    files.push(file);
  }
  // One Redocly run for every fixture: its start-up dominates the cost.
  const stdout = await promisify(execFile)(redocly, ['lint', ...files, '--config', path.join(repo, 'redocly.yaml'), '--format', 'json'], {
    cwd: repo,
  }).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  // With several files, Redocly prints one JSON report per file, in order, back to back.
  const parsed = JSON.parse(`[${stdout.replace(/^\}\{$/gm, '},{')}]`) as LintReport[];
  expect(parsed).toHaveLength(files.length);
  for (const [index, file] of files.entries()) reports.set(path.basename(file, '.yaml'), parsed[index]!);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function problemsOf(name: string): LintReport['problems'] {
  const report = reports.get(name);
  if (!report) throw new Error(`no lint report for ${name}`);
  return report.problems;
}

function rulesFor(name: string): string[] {
  return [...new Set(problemsOf(name).map((p) => p.ruleId))].sort();
}

describe('redocly.yaml lint rules', () => {
  it('pass the valid fixture with no problem at all', () => {
    expect(rulesFor('valid')).toEqual([]);
  });

  it.each(Object.entries(fixtures))('fail %s with the expected rule', (name, fixture) => {
    expect(rulesFor(name)).toEqual(fixture.rules);
    expect(problemsOf(name).map((p) => p.severity)).not.toContain('warn');
  });
});
