// Specs from many hands: each hostile or broken one is a problem at file:line:col, found quickly,
// never a stack trace, a hang, a gigabyte, or a file read from outside the API's folder.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApi } from '../src/generate.js';
import { generatedTypeErrors } from '../src/generated-check.js';
import { lintFile, loadLintConfig, SpecError } from '../src/lint.js';
import { formatProblem, type SpecProblem } from '../src/problem.js';
import { loadRegistry } from '../src/registry.js';
import { copyWorkspace, repo, repoApis, run } from '../src/test-workspace.js';
import { SPEC_LIMITS } from '../src/spec-guard.js';

let scratch: string;
let config: Config;
let valid: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-hostile-'));
  config = await loadLintConfig(path.join(repo, 'redocly.yaml'));
  valid = await readFile(path.join(import.meta.dirname, 'fixtures/lint/valid.yaml'), 'utf8');
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** `text` with `from` replaced (the fixture must have it), and the 1-based line where it was. */
function replaced(text: string, from: string, to: string): { text: string; line: number } {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`"${from}" is not in the fixture`);
  return { text: text.slice(0, at) + to + text.slice(at + from.length), line: text.slice(0, at).split('\n').length };
}

let count = 0;
/** Lints `text` as the root spec of a fresh API folder; the problems, thrown or reported, formatted. */
async function lint(text: string, extra: Record<string, string> = {}): Promise<{ problems: string[]; ms: number; folder: string }> {
  const folder = path.join(scratch, `api-${++count}`);
  await mkdir(folder, { recursive: true });
  for (const [name, content] of Object.entries(extra)) await writeFile(path.join(folder, name), content);
  const file = path.join(folder, 'openapi.yaml');
  await writeFile(file, text);
  const started = performance.now();
  let problems: SpecProblem[];
  try {
    problems = (await lintFile('hostile', file, config, scratch)).problems;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    problems = [...error.problems];
  }
  return { problems: problems.filter((p) => p.severity === 'error').map(formatProblem), ms: performance.now() - started, folder };
}

const PROBLEM_REF = "$ref: '#/components/schemas/Problem'";

describe('$refs that leave the API folder', () => {
  it('refuses an absolute path outside the folder, at its line, without reading it', async () => {
    const outside = path.join(scratch, 'outside.yaml');
    await writeFile(outside, 'type: object\nproperties:\n  secret:\n    type: string\n');
    const { text, line } = replaced(valid, PROBLEM_REF, `$ref: '${outside}'`);
    const { problems, folder } = await lint(text);
    const shown = path.relative(scratch, folder);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${shown}/openapi\\.yaml:${line}:17 ref-outside-api-folder `)));
    expect(problems.join('\n')).not.toContain('no-unresolved-refs');
  });

  it('refuses a symlink inside the folder that leads out of it (real paths count)', async () => {
    const elsewhere = path.join(scratch, 'elsewhere');
    await mkdir(elsewhere, { recursive: true });
    await writeFile(path.join(elsewhere, 'problem.yaml'), 'type: object\n');
    const { text, line } = replaced(valid, PROBLEM_REF, "$ref: './linked/problem.yaml'");
    const folder = path.join(scratch, `api-${count + 1}`);
    await mkdir(folder, { recursive: true });
    await symlink(elsewhere, path.join(folder, 'linked'));
    const { problems } = await lint(text);
    expect(problems).toContainEqual(
      expect.stringMatching(new RegExp(`openapi\\.yaml:${line}:17 ref-outside-api-folder .*through a symlink`)),
    );
  });

  it('still takes a file of the folder', async () => {
    const spec = valid.replaceAll(PROBLEM_REF, "$ref: './problem.yaml'").replace(/ {4}Problem:\n(?: {6}.*\n)+/, '');
    const { problems } = await lint(spec, { 'problem.yaml': 'type: object\nproperties:\n  message:\n    type: string\n' });
    expect(problems).toEqual([]);
  });
});

describe('remote $refs', () => {
  it('are a lint error at their line, and nothing is fetched: no connection at all, under strace', async () => {
    try {
      execFileSync('strace', ['-V'], { stdio: 'ignore' });
    } catch {
      throw new Error('strace is missing: apt-get install -y strace (.ci/run does)');
    }
    // A server that records each connection and never answers: a fetch would hang lint.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const workspace = await copyWorkspace();
    try {
      const spec = 'specs/velostrata/openapi.yaml';
      const text = await readFile(path.join(workspace.dir, spec), 'utf8');
      const remote = replaced(text, "$ref: '#/components/schemas/ErrorInfo'", `$ref: 'http://127.0.0.1:${port}/error-info.yaml'`);
      await writeFile(path.join(workspace.dir, spec), remote.text);
      const trace = path.join(workspace.dir, 'strace.txt');
      const cli = path.join(repo, 'packages/spec-toolchain/bin/vmtasks-codegen.js');
      // `timeout`: were lint to connect, the test would fail in a minute rather than hang.
      const result = await run(
        'timeout',
        ['120', 'strace', '-f', '-qq', '-e', 'trace=network', '-o', trace, process.execPath, cli, 'lint', 'velostrata'],
        workspace.dir,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`^  ${spec}:${remote.line}:\\d+ remote-ref "http://127\\.0\\.0\\.1:${port}/error-info\\.yaml" `, 'm'),
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(sockets).toHaveLength(0);
      // No socket of the Internet families was even opened (Node's own IPC uses AF_UNIX).
      const network = (await readFile(trace, 'utf8')).split('\n').filter((line) => /AF_INET|connect\(/.test(line));
      expect(network).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
      await workspace.remove();
    }
  });
});

describe('specs that would exhaust the machine', () => {
  it('stops a 1 KB YAML alias bomb at an alias, quickly', async () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = levels.map((level) => `                ${level}\n`).join('');
    expect(bomb.length).toBeLessThan(1024);
    const { text, line } = replaced(valid, '              example:\n', `              example:\n${bomb}`);
    const { problems, ms } = await lint(text);
    expect(problems).toHaveLength(1);
    // The first alias whose expansion passes the limit: one of the upper levels.
    expect(problems[0]).toMatch(/openapi\.yaml:(\d+):\d+ yaml-alias YAML aliases expand the file past 100,000 nodes/);
    expect(Number(/:(\d+):/.exec(problems[0] ?? '')?.[1])).toBeGreaterThan(line);
    // Before: past 20 s at ~1 GB. Generous for a loaded machine; the walk is bounded by the limit.
    expect(ms).toBeLessThan(10_000);
  });

  it('stops an alias that names the node containing it', async () => {
    const { text } = replaced(valid, '              example:\n', '              example: &self\n                again: *self\n');
    const { problems } = await lint(text);
    expect(problems).toEqual([expect.stringMatching(/yaml-alias this alias names a node that contains it/)]);
  });

  it('refuses a chain of 800 $refs at its first $ref', async () => {
    const chain = Array.from({ length: 800 }, (_, i) => `    C${i}:\n      $ref: '#/components/schemas/C${i + 1}'\n`).join('');
    const withChain = replaced(valid, '    Problem:\n', `${chain}    C800:\n      type: object\n    Problem:\n`).text;
    const { text, line } = replaced(withChain, "$ref: '#/components/schemas/Thing'", "$ref: '#/components/schemas/C0'");
    const { problems, ms } = await lint(text.replace(/ {4}Thing:\n(?: {6}.*\n)+/, ''));
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(`openapi\\.yaml:${line}:17 ref-chain this \\$ref starts a chain of more than ${SPEC_LIMITS.refChain} `),
      ),
    );
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses a circular $ref, naming the loop', async () => {
    const withLoop = replaced(
      valid,
      '    Problem:\n',
      "    Loop1:\n      $ref: '#/components/schemas/Loop2'\n    Loop2:\n      $ref: '#/components/schemas/Loop1'\n    Problem:\n",
    ).text;
    const { text, line } = replaced(withLoop, "$ref: '#/components/schemas/Thing'", "$ref: '#/components/schemas/Loop1'");
    const { problems } = await lint(text);
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `openapi\\.yaml:${line}:17 ref-chain .*loop.*#/components/schemas/Loop1 → #/components/schemas/Loop2 → #/components/schemas/Loop1`,
        ),
      ),
    );
  });

  it('refuses a file over the size limit in one line, without parsing it', async () => {
    const padding = `x-padding: '${'x'.repeat(SPEC_LIMITS.fileBytes)}'\n`;
    const { problems, ms } = await lint(valid + padding);
    expect(problems).toEqual([expect.stringMatching(/openapi\.yaml:1:1 spec-too-large 10\.0 MB, over the 10 MB a spec file may have/)]);
    expect(ms).toBeLessThan(10_000);
  });
});

describe('problems said once, where they are', () => {
  it('reports a malformed x-vmtasks-require-any-of at its line (lint used to say clean)', async () => {
    for (const value of ['nope', '[]', '[size]', '[1]']) {
      const { text, line } = replaced(
        valid,
        '      operationId: listThings\n',
        `      operationId: listThings\n      x-vmtasks-require-any-of: ${value}\n`,
      );
      const { problems } = await lint(text);
      expect(problems, value).toEqual([
        expect.stringMatching(new RegExp(`openapi\\.yaml:${line + 1}:7 vmtasks-require-any-of listThings: `)),
      ]);
    }
  });

  it('places an unclosed quote where it opens, not at the end of the file', async () => {
    // A closed double-quoted string before it, with escaped quotes: only the unclosed one counts.
    const quoted = valid.replace('title: Lint fixture', 'title: "Lint \\"fixture\\""');
    const { text, line } = replaced(quoted, 'summary: List things', 'summary: "List things');
    const { problems } = await lint(text);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`openapi\\.yaml:${line}:16 yaml-syntax a double quote opened here is never closed`)),
    ]);
    // Single quotes double inside; the spec's last schema, so no later quote closes it.
    const single = `${valid}      description: 'It''s a problem\n`;
    const singleLine = single.trimEnd().split('\n').length;
    expect((await lint(single)).problems).toEqual([
      expect.stringMatching(new RegExp(`openapi\\.yaml:${singleLine}:20 yaml-syntax a single quote opened here is never closed`)),
    ]);
  });

  it('says one schema error once, not once per example that meets it', async () => {
    const velostrata = await readFile(path.join(repo, 'specs/velostrata/openapi.yaml'), 'utf8');
    const { text } = replaced(velostrata, 'type: integer', 'type: integr');
    const { problems } = await lint(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(problems).size).toBe(problems.length);
  });
});

describe('generated code that would not compile', () => {
  it('refuses an inline enum beside a schema that gets the same value-list name, at both enums, and writes nothing', async () => {
    const dir = path.join(scratch, 'generate-clash');
    await mkdir(path.join(dir, 'specs/a'), { recursive: true });
    await writeFile(
      path.join(dir, 'redocly.yaml'),
      'apis:\n  a:\n    root: specs/a/openapi.yaml\n    x-openapi-ts:\n      output: out/a.ts\nextends:\n  - minimal\n',
    );
    const withState = replaced(
      valid,
      '        size:\n          type: integer\n',
      '        size:\n          type: integer\n        state:\n          type: string\n          enum: [on, off]\n',
    );
    const { text, line } = replaced(
      withState.text,
      '    Problem:\n',
      '    ThingState:\n      type: string\n      enum: [on, off, broken]\n    Problem:\n',
    );
    await writeFile(path.join(dir, 'specs/a/openapi.yaml'), text);
    const registry = await loadRegistry(path.join(dir, 'redocly.yaml'));
    const api = registry.apis[0];
    if (!api) throw new Error('no API');
    const error = await generateApi(api, registry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^specs/a/openapi\\.yaml:${withState.line + 2}:9 generated-name-clash .*\`thingStateValues\`.*#/components/schemas/ThingState`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`^specs/a/openapi\\.yaml:${line}:5 generated-name-clash .*#/components/schemas/Thing/properties/state`),
      ),
    ]);
    await expect(readFile(path.join(dir, 'out/a.ts'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it("type-checks what it generates: the real outputs pass, a broken one fails with TypeScript's verdict", async () => {
    for (const name of await repoApis()) {
      const file = path.join(repo, `packages/${name}/src/generated/openapi.ts`);
      expect(generatedTypeErrors(file, await readFile(file, 'utf8')), name).toEqual([]);
    }
    const errors = generatedTypeErrors('/x.ts', 'export const a: ReadonlyArray<"on"> = ["off"];\nexport const b: Blob = 1;\n');
    expect(errors.map((error) => [error.line, error.code])).toEqual([
      [1, 2322],
      [2, 2322],
    ]);
  });
});
