// The breaking-change gate in throwaway git repositories: one small API on `main`, a branch that
// changes its spec, and the gate's verdict with and without a changeset.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBreaking, gatePassed, type ApiVerdict } from '../src/breaking/gate.js';
import { compareParameterRules } from '../src/breaking/parameter-rules.js';
import { formatReport } from '../src/breaking/report.js';
import { loadRegistry } from '../src/registry.js';
import { packageOf } from '../src/test-workspace.js';

const exec = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/vmtasks-breaking.js');

const SPEC = `openapi: 3.1.0
info: { title: Demo, version: 1.0.0 }
security:
  - basicAuth: []
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - name: status
          in: query
          schema: { type: string, enum: [open, closed, archived] }
      responses:
        '200':
          description: Items
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items: { $ref: '#/components/schemas/Item' }
        default:
          description: Error
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: { type: string }
                note: { type: string }
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Item' }
        default:
          description: Error
  /items/{id}:
    delete:
      operationId: deleteItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '204': { description: Deleted }
        default: { description: Error }
components:
  securitySchemes:
    basicAuth: { type: http, scheme: basic }
  schemas:
    Item:
      type: object
      required: [id, state]
      properties:
        id: { type: string }
        name: { type: string }
        state: { type: string, enum: [open, closed] }
`;

let template: string;
const dirs: string[] = [];

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });
  return stdout.trim();
}

beforeAll(async () => {
  template = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-gate-template-'));
  dirs.push(template);
  await mkdir(path.join(template, 'specs/demo'), { recursive: true });
  await mkdir(path.join(template, 'packages/demo'), { recursive: true });
  await mkdir(path.join(template, '.changeset'), { recursive: true });
  await writeFile(path.join(template, 'specs/demo/openapi.yaml'), SPEC);
  await writeFile(
    path.join(template, 'redocly.yaml'),
    'apis:\n  demo:\n    root: specs/demo/openapi.yaml\n    x-openapi-ts:\n      output: packages/demo/src/generated/openapi.ts\n',
  );
  await writeFile(path.join(template, 'packages/demo/package.json'), JSON.stringify({ name: '@demo/api', version: '1.0.0' }));
  await writeFile(path.join(template, '.changeset/config.json'), JSON.stringify({ baseBranch: 'main' }));
  await git(template, 'init', '-q', '-b', 'main');
  await git(template, 'add', '.');
  await git(template, 'commit', '-q', '-m', 'demo API');
  await git(template, 'checkout', '-q', '-b', 'feature');
});

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh copy of the repository (on branch `feature`) with the spec edited by `edit`. */
async function repoWith(edit: (spec: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-gate-'));
  dirs.push(dir);
  await cp(template, dir, { recursive: true });
  const spec = path.join(dir, 'specs/demo/openapi.yaml');
  const edited = edit(await readFile(spec, 'utf8'));
  await writeFile(spec, edited);
  return dir;
}

function replaceOnce(from: string, to: string): (spec: string) => string {
  return (spec) => {
    expect(spec).toContain(from);
    return spec.replace(from, to);
  };
}

async function changeset(dir: string, bump: 'major' | 'minor' | 'patch'): Promise<void> {
  await writeFile(path.join(dir, `.changeset/${bump}-change.md`), `---\n'@demo/api': ${bump}\n---\n\nA change.\n`);
}

async function verdictOf(dir: string): Promise<ApiVerdict> {
  const [verdict] = await checkBreaking({ cwd: dir });
  expect(verdict?.api).toBe('demo');
  return verdict!;
}

describe('each class of breaking change is caught', () => {
  const cases: [string, (spec: string) => string, string, RegExp][] = [
    [
      'removed response property',
      replaceOnce('        name: { type: string }\n        state', '        state'),
      'GET /items response 200 application/json items.name',
      /removed from the response/,
    ],
    [
      'retyped response property',
      replaceOnce('        id: { type: string }\n        name', '        id: { type: integer }\n        name'),
      'GET /items response 200 application/json items.id',
      /values old code does not expect.*number.*string/,
    ],
    [
      'required response property made optional',
      replaceOnce('required: [id, state]', 'required: [id]'),
      'GET /items response 200 application/json items.state',
      /no longer always present/,
    ],
    [
      'new required request parameter',
      replaceOnce(
        '      parameters:\n        - name: status',
        '      parameters:\n        - { name: project, in: query, required: true, schema: { type: string } }\n        - name: status',
      ),
      'GET /items parameters query.project',
      /now required in the request/,
    ],
    [
      'narrowed request enum',
      replaceOnce('enum: [open, closed, archived]', 'enum: [open, closed]'),
      'GET /items parameters query.status',
      /no longer accepted.*"archived"/,
    ],
    [
      'removed request body property',
      replaceOnce('                note: { type: string }\n', ''),
      'POST /items request body content["application/json"].note',
      /request field removed/,
    ],
    [
      'closed response enum widened',
      replaceOnce('state: { type: string, enum: [open, closed] }', 'state: { type: string, enum: [open, closed, frozen] }'),
      'GET /items response 200 application/json items.state',
      /values old code does not expect.*"frozen"/,
    ],
    [
      'removed operation',
      replaceOnce('  /items/{id}:\n    delete:\n', '  /items/{id}:\n    patch:\n'),
      'DELETE /items/{id}',
      /operation removed/,
    ],
    [
      'new parameter rule',
      replaceOnce('      operationId: listItems\n', '      operationId: listItems\n      x-vmtasks-require-any-of: [status]\n'),
      'GET /items parameters (x-vmtasks-require-any-of)',
      /now requires one of status: calls that send none of them are refused/,
    ],
    [
      'changed auth',
      replaceOnce('basicAuth: { type: http, scheme: basic }', 'basicAuth: { type: http, scheme: bearer }'),
      'GET /items security',
      /authentication changed: http \(basic\) no longer accepted \(now: http \(bearer\)\)/,
    ],
  ];

  for (const [name, edit, where, why] of cases) {
    it(name, async () => {
      const verdict = await verdictOf(await repoWith(edit));
      expect(verdict.status).toBe('breaking');
      expect(verdict.ok).toBe(false);
      expect(verdict.changes).toContainEqual({ breaking: true, where, why: expect.stringMatching(why) });
    });
  }
});

describe('parameter rules (x-vmtasks-require-any-of)', () => {
  /** A spec whose GET /items has query parameters a, b and c, and `rule` when given; `extra` adds POST /more. */
  function spec(rule?: string[], extra = false): Record<string, unknown> {
    const parameters = ['a', 'b', 'c'].map((name) => ({ name, in: 'query', schema: { type: 'string' } }));
    const list = { operationId: 'listItems', parameters, ...(rule && { 'x-vmtasks-require-any-of': rule }) };
    const more = { operationId: 'addMore', parameters, 'x-vmtasks-require-any-of': ['a'] };
    return { paths: { '/items': { get: list }, ...(extra && { '/more': { post: more } }) } };
  }
  const where = 'GET /items parameters (x-vmtasks-require-any-of)';

  it('a rule that accepts fewer parameters breaks the calls that sent only those', () => {
    expect(compareParameterRules(spec(['a', 'b']), spec(['a']))).toEqual([
      { breaking: true, where, why: 'b no longer satisfies the rule (now one of a): calls that send only b are refused' },
    ]);
    expect(compareParameterRules(spec(['a', 'b']), spec(['c']))).toEqual([expect.objectContaining({ breaking: true, where })]);
  });

  it('a rule relaxed or dropped, and one on a new operation, break nothing', () => {
    expect(compareParameterRules(spec(['a']), spec(['a', 'b']))).toEqual([{ breaking: false, where, why: 'also satisfied by b' }]);
    expect(compareParameterRules(spec(['a']), spec())).toEqual([{ breaking: false, where, why: 'no longer requires one of a' }]);
    expect(compareParameterRules(spec(['a']), spec(['a'], true))).toEqual([]);
  });
});

describe('changesets', () => {
  it('a breaking change passes only with a major changeset', async () => {
    const dir = await repoWith(replaceOnce('        name: { type: string }\n        state', '        state'));
    await changeset(dir, 'minor');
    expect((await verdictOf(dir)).ok).toBe(false);
    await changeset(dir, 'major');
    const verdict = await verdictOf(dir);
    expect(verdict).toMatchObject({ status: 'breaking', required: 'major', pending: 'major', ok: true });
  });

  it('an optional response property added is not breaking, and needs a changeset', async () => {
    const dir = await repoWith(
      replaceOnce(
        '        name: { type: string }\n        state',
        '        name: { type: string }\n        owner: { type: string }\n        state',
      ),
    );
    const verdict = await verdictOf(dir);
    expect(verdict).toMatchObject({ status: 'changed', required: 'patch', ok: false });
    expect(verdict.changes.every((change) => !change.breaking)).toBe(true);
    await changeset(dir, 'minor');
    expect(await verdictOf(dir)).toMatchObject({ status: 'changed', pending: 'minor', ok: true });
  });

  it('non-breaking additions: optional request parameter, widened request enum, another auth scheme', async () => {
    const dir = await repoWith((spec) =>
      spec
        .replace('enum: [open, closed, archived]', 'enum: [open, closed, archived, draft]')
        .replace(
          '      parameters:\n        - name: status',
          '      parameters:\n        - { name: q, in: query, schema: { type: string } }\n        - name: status',
        )
        .replace('security:\n  - basicAuth: []\n', 'security:\n  - basicAuth: []\n  - token: []\n')
        .replace('  securitySchemes:\n', '  securitySchemes:\n    token: { type: apiKey, in: header, name: x-token }\n'),
    );
    const verdict = await verdictOf(dir);
    expect(verdict.changes.filter((change) => change.breaking)).toEqual([]);
    expect(verdict.status).toBe('changed');
  });

  it('a private package (never released, as add-api scaffolds one) needs no changeset, even for a breaking change', async () => {
    const dir = await repoWith(replaceOnce('        name: { type: string }\n        state', '        state'));
    const manifest = path.join(dir, 'packages/demo/package.json');
    await writeFile(manifest, JSON.stringify({ ...JSON.parse(await readFile(manifest, 'utf8')), private: true }));
    const verdict = await verdictOf(dir);
    expect(verdict).toMatchObject({ status: 'breaking', required: 'major', published: false, ok: true });
    expect(formatReport([verdict])).toContain('ok: @demo/api is private (not released), so it needs no changeset');
  });

  it('an unchanged spec needs nothing', async () => {
    const verdict = await verdictOf(await repoWith((spec) => spec));
    expect(verdict).toMatchObject({ status: 'unchanged', changes: [], ok: true });
  });
});

it('an API removed from redocly.yaml is breaking for its package', async () => {
  const dir = await repoWith((spec) => spec);
  await writeFile(path.join(dir, 'redocly.yaml'), 'apis: {}\n');
  const verdicts = await checkBreaking({ cwd: dir });
  expect(verdicts).toEqual([
    expect.objectContaining({ api: 'demo', packageName: '@demo/api', status: 'removed', required: 'major', ok: false }),
  ]);
});

describe('base', () => {
  it('on main, compares with the package’s last release tag', async () => {
    const dir = await repoWith((spec) => spec);
    await git(dir, 'checkout', '-q', 'main');
    await git(dir, 'tag', '@demo/api@1.0.0');
    await writeFile(path.join(dir, 'specs/demo/openapi.yaml'), SPEC.replace('enum: [open, closed, archived]', 'enum: [open]'));
    await git(dir, 'commit', '-q', '-am', 'narrow');
    const verdict = await verdictOf(dir);
    expect(verdict.base?.label).toBe('last release @demo/api@1.0.0');
    expect(verdict.status).toBe('breaking');
  });

  it('on a branch, compares with the merge-base with main, whatever main did since', async () => {
    const dir = await repoWith(replaceOnce('enum: [open, closed, archived]', 'enum: [open, closed]'));
    await git(dir, 'commit', '-q', '-am', 'narrow on the branch');
    const verdict = await verdictOf(dir);
    expect(verdict.base?.label).toBe('merge-base with main');
    expect(verdict.status).toBe('breaking');
  });
});

it('the command prints a report naming the API, the path and why, and exits 1 until a major changeset exists', async () => {
  const dir = await repoWith(replaceOnce('        name: { type: string }\n        state', '        state'));
  const failed = await exec(process.execPath, [bin], { cwd: dir }).then(
    () => expect.unreachable('the gate passed a breaking change'),
    (error: { code: number; stdout: string }) => error,
  );
  expect(failed.code).toBe(1);
  expect(failed.stdout).toContain('demo (@demo/api): BREAKING');
  expect(failed.stdout).toContain('✗ breaks  GET /items response 200 application/json items.name');
  expect(failed.stdout).toContain('removed from the response: code that reads it no longer compiles');
  expect(failed.stdout).toMatch(/needs a major changeset for @demo\/api/);
  await changeset(dir, 'major');
  const { stdout } = await exec(process.execPath, [bin], { cwd: dir });
  expect(stdout).toContain('check:breaking passed');
});

describe("on this repository's own specs", () => {
  const repoRoot = path.resolve(import.meta.dirname, '../../..');
  const removal =
    '        progressMessage:\n          type: array\n          description: Progress message\n          items:\n            type: string\n        startTime:';

  /** A throwaway repository holding the real redocly.yaml, specs and package manifests, committed on main. */
  async function realRepo(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-gate-real-'));
    dirs.push(dir);
    await cp(path.join(repoRoot, 'redocly.yaml'), path.join(dir, 'redocly.yaml'));
    await cp(path.join(repoRoot, 'specs'), path.join(dir, 'specs'), { recursive: true });
    await cp(path.join(repoRoot, '.changeset/config.json'), path.join(dir, '.changeset/config.json'));
    for (const api of (await loadRegistry(path.join(repoRoot, 'redocly.yaml'))).apis) {
      const manifest = path.join(packageOf(api.output), 'package.json');
      await cp(manifest, path.join(dir, path.relative(repoRoot, manifest)));
    }
    await git(dir, 'init', '-q', '-b', 'main');
    await git(dir, 'add', '.');
    await git(dir, 'commit', '-q', '-m', 'as in the repository');
    await git(dir, 'checkout', '-q', '-b', 'change');
    return dir;
  }

  async function editVelostrata(dir: string, from: string, to: string): Promise<void> {
    const file = path.join(dir, 'specs/velostrata/openapi.yaml');
    const spec = await readFile(file, 'utf8');
    expect(spec).toContain(from);
    await writeFile(file, spec.replace(from, to));
  }

  // In-process (what the command prints and its exit status); the command itself is tested above.
  async function gate(dir: string): Promise<{ code: number; stdout: string }> {
    const verdicts = await checkBreaking({ cwd: dir });
    return { code: gatePassed(verdicts) ? 0 : 1, stdout: formatReport(verdicts) };
  }

  it('removing a response property fails, naming API, path and why, until a major changeset is added', async () => {
    const dir = await realRepo();
    await editVelostrata(dir, removal, '        startTime:');
    // And from the examples, which must match the schema (the lint would refuse them).
    const spec = path.join(dir, 'specs/velostrata/openapi.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace(/\n( +)progressMessage:\n(?:\1 {2}- .*\n)+/g, '\n'));
    const failed = await gate(dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('velostrata (@vmtasks/velostrata): BREAKING');
    expect(failed.stdout).toContain('✗ breaks  GET /tasks response 200 application/json content.progressMessage');
    expect(failed.stdout).toContain('removed from the response: code that reads it no longer compiles');
    expect(failed.stdout).toContain('snapservice (@vmtasks/snapservice): unchanged');
    await writeFile(
      path.join(dir, '.changeset/drop.md'),
      "---\n'@vmtasks/velostrata': major\n---\n\nTaskDescription.progressMessage removed.\n",
    );
    expect(await gate(dir)).toMatchObject({ code: 0 });
  });

  it('adding an optional response property passes with a minor changeset', async () => {
    const dir = await realRepo();
    await editVelostrata(dir, removal, `        eta:\n          type: string\n          format: date-time\n${removal}`);
    const missing = await gate(dir);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('velostrata (@vmtasks/velostrata): changed, nothing breaks');
    await writeFile(path.join(dir, '.changeset/eta.md'), "---\n'@vmtasks/velostrata': minor\n---\n\nTaskDescription.eta.\n");
    const passed = await gate(dir);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('check:breaking passed');
  });
});
