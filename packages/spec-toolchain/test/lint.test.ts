// The lint configuration has teeth: each fixture breaks one thing, and the in-process lint
// (Redocly's engine) with the project's redocly.yaml must report exactly the rule that covers it.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Config, getMergedConfig, loadConfig, parseYaml, stringifyYaml } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintFile, loadLintConfig, SpecError } from '../src/lint.js';
import { type SpecProblem, yamlMarkPlace, yamlProblem } from '../src/problem.js';
import { repo } from '../src/test-workspace.js';

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
  // Redocly CLI 2.x also flags the then unused basicAuth scheme; the 1.x engine the generator
  // shares does not check security schemes for use.
  'unknown-security-scheme': { edits: [{ at: ['security', 0], value: { apiKey: [] } }], rules: ['security-defined'] },
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

let scratch: string;
const reports = new Map<string, SpecProblem[]>();

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-lint-'));
  const config = await loadLintConfig(path.join(repo, 'redocly.yaml'));
  const validFile = path.join(import.meta.dirname, 'fixtures/lint/valid.yaml');
  const valid = await readFile(validFile, 'utf8');
  reports.set('valid', (await lintFile('valid', validFile, config, repo)).problems);
  for (const [name, fixture] of Object.entries(fixtures)) {
    const spec: unknown = parseYaml(valid);
    for (const edit of fixture.edits) applyEdit(spec, edit);
    const file = path.join(scratch, `${name}.yaml`);
    await writeFile(file, stringifyYaml(spec));
    reports.set(name, (await lintFile(name, file, config, repo)).problems);
  }
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function problemsOf(name: string): SpecProblem[] {
  const report = reports.get(name);
  if (!report) throw new Error(`no lint report for ${name}`);
  return report;
}

function rulesFor(name: string): string[] {
  return [...new Set(problemsOf(name).map((p) => p.rule))].sort();
}

describe('redocly.yaml lint rules', () => {
  it('pass the valid fixture with no problem at all', () => {
    expect(rulesFor('valid')).toEqual([]);
  });

  it.each(Object.entries(fixtures))('fail %s with the expected rule', (name, fixture) => {
    expect(rulesFor(name)).toEqual(fixture.rules);
    expect(problemsOf(name).map((p) => p.severity)).not.toContain('warn');
  });

  it('locates each problem at file:line:col', () => {
    const [problem] = problemsOf('snake-case-operation-id');
    expect(problem).toMatchObject({ file: expect.stringMatching(/snake-case-operation-id\.yaml$/), rule: 'rule/operation-id-camel-case' });
    expect(problem?.line).toBeGreaterThan(0);
    expect(problem?.column).toBeGreaterThan(0);
  });

  it('reports unreadable YAML as a yaml-syntax problem at its line', async () => {
    const file = path.join(scratch, 'broken.yaml');
    await writeFile(file, 'openapi: 3.1.0\ninfo:\n  title: [\n');
    const error = await lintFile('broken', file, await loadLintConfig(path.join(repo, 'redocly.yaml')), repo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems[0]).toMatchObject({ rule: 'yaml-syntax', line: 4 });
  });
});

describe('loading redocly.yaml', () => {
  /** What a config makes of each API: rules per spec version, preprocessors, decorators, plugins, resolve. */
  function projection(config: Config, api: string): unknown {
    const merged = getMergedConfig(config, api);
    const { rules, preprocessors, decorators, plugins } = merged.styleguide;
    return JSON.parse(JSON.stringify({ rules, preprocessors, decorators, plugins: plugins.map((p) => p.id), resolve: merged.resolve }));
  }

  it("gives each API the same rules as Redocly's own loadConfig", async () => {
    const configPath = path.join(repo, 'redocly.yaml');
    const ours = await loadLintConfig(configPath);
    const redocly = await loadConfig({ configPath });
    const apis = Object.keys(redocly.rawConfig.apis ?? {});
    expect(apis.length).toBeGreaterThan(0);
    for (const api of apis) expect(projection(ours, api), api).toEqual(projection(redocly, api));
  });

  it('resolves a $ref in the configuration file', async () => {
    const dir = path.join(scratch, 'config-with-ref');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'rules.yaml'), 'tag-description: off\noperation-summary: error\n');
    await writeFile(path.join(dir, 'redocly.yaml'), "extends: [minimal]\nrules:\n  $ref: './rules.yaml'\n");
    const config = await loadLintConfig(path.join(dir, 'redocly.yaml'));
    const rules = getMergedConfig(config).styleguide.rules.oas3_1;
    expect(rules['operation-summary']).toBe('error');
    expect(rules['tag-description']).toBe('off');
  });
});

describe('YAML syntax errors, placed', () => {
  it("takes the place from the message, else from js-yaml's 0-based mark (made 1-based), else the start", () => {
    let thrown: unknown;
    try {
      parseYaml('a: 1\nb: [\n');
    } catch (error) {
      thrown = error;
    }
    const place = yamlMarkPlace(thrown);
    expect(place).toEqual({ line: 3, column: 1 });
    const file = path.join(repo, 'specs/x.yaml');
    expect(yamlProblem(thrown as Error, place, file, repo)).toMatchObject({
      file: 'specs/x.yaml',
      line: 3,
      column: 1,
      rule: 'yaml-syntax',
    });
    // A message that names no place: the mark's, then the start of the file.
    expect(yamlProblem({ message: 'bad' }, { line: 7, column: 2 }, file, repo)).toMatchObject({ line: 7, column: 2, message: 'bad' });
    expect(yamlProblem({ message: 'bad' }, undefined, file, repo)).toMatchObject({ line: 1, column: 1 });
    expect(yamlMarkPlace({ mark: { line: '3' } })).toBeUndefined();
  });
});
