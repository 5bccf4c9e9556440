// The edit → regenerate loop: safe on bad input, deterministic, drift-checked, and cached by
// turbo per API. Every test works on a temporary copy of the workspace.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codegen, copyWorkspace, repo, repoApis, run } from '../src/test-workspace.js';

const VELOSTRATA_SPEC = 'specs/velostrata/openapi.yaml';
const VELOSTRATA_OUT = 'packages/velostrata/src/generated/openapi.ts';
const SNAPSERVICE_OUT = 'packages/snapservice/src/generated/openapi.ts';

let dir: string;
let remove: () => Promise<void>;
const read = (file: string): Promise<string> => readFile(path.join(dir, file), 'utf8');
const write = (file: string, text: string): Promise<void> => writeFile(path.join(dir, file), text);

/** Replaces the first occurrence of `from` in a file; fails loudly if the fixture moved. */
async function edit(file: string, from: string, to: string): Promise<number> {
  const text = await read(file);
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`"${from}" not found in ${file}`);
  await write(file, text.slice(0, at) + to + text.slice(at + from.length));
  return text.slice(0, at).split('\n').length; // line of the edit
}

beforeEach(async () => {
  ({ dir, remove } = await copyWorkspace());
});
afterEach(async () => {
  await remove();
});

describe('generate on a broken spec', () => {
  it('reports a YAML syntax error with file:line and leaves every output untouched', async () => {
    const before = [await read(VELOSTRATA_OUT), await read(SNAPSERVICE_OUT)];
    const line = await edit(VELOSTRATA_SPEC, '      operationId: getActiveTasks', '      operationId: getActiveTasks\n     broken: [');
    const result = await codegen(dir, 'generate');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`specs/velostrata/openapi\\.yaml:${line + 1}:\\d+\\s+yaml-syntax`));
    expect(result.stderr).toContain('generated file left unchanged');
    expect([await read(VELOSTRATA_OUT), await read(SNAPSERVICE_OUT)]).toEqual(before);
    // The healthy API is still generated (and is up to date).
    expect(result.stdout).toContain('snapservice: lint clean, packages/snapservice/src/generated/openapi.ts unchanged');
  });

  it('reports a dangling $ref at its line and leaves the output untouched', async () => {
    const before = await read(VELOSTRATA_OUT);
    const line = await edit(VELOSTRATA_SPEC, "$ref: '#/components/schemas/TaskState'", "$ref: '#/components/schemas/TaskStatus'");
    const result = await codegen(dir, 'generate', 'velostrata');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`specs/velostrata/openapi.yaml:${line}:`);
    expect(result.stderr).toContain('no-unresolved-refs');
    expect(await read(VELOSTRATA_OUT)).toBe(before);
  });

  it('reports a schema error at its line and leaves the output untouched', async () => {
    const before = await read(VELOSTRATA_OUT);
    const line = await edit(VELOSTRATA_SPEC, 'type: integer', 'type: integr');
    const result = await codegen(dir, 'generate', 'velostrata');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`specs/velostrata/openapi\\.yaml:${line}:\\d+\\s+struct`));
    expect(await read(VELOSTRATA_OUT)).toBe(before);
  });

  it('reports a YAML syntax error in redocly.yaml as file:line:col, without a stack', async () => {
    const before = await read(VELOSTRATA_OUT);
    const line = await edit('redocly.yaml', 'apis:\n', 'apis:\n  broken: ]\n');
    const result = await codegen(dir, 'generate', 'velostrata');
    expect(result.code).toBe(1);
    // js-yaml stops at the "]" (column 11 of "  broken: ]").
    expect(result.stderr).toMatch(new RegExp(`^vmtasks-codegen: redocly\\.yaml:${line + 1}:11 yaml-syntax \\S`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await read(VELOSTRATA_OUT)).toBe(before);
  });

  it('says a spec is missing in one line and leaves its output untouched', async () => {
    const before = await read(VELOSTRATA_OUT);
    await rm(path.join(dir, VELOSTRATA_SPEC));
    const result = await codegen(dir, 'generate', 'velostrata');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${VELOSTRATA_SPEC}:1:1 missing-file the file does not exist`);
    expect(result.stderr).not.toContain(dir);
    expect(await read(VELOSTRATA_OUT)).toBe(before);
  });

  it('takes a $ref to a file in the API folder, and refuses one outside it (turbo and dev mode would not see it change)', async () => {
    const spec = await read(VELOSTRATA_SPEC);
    const errorInfo = spec.slice(spec.indexOf('    ErrorInfo:\n') + '    ErrorInfo:\n'.length).split(/\n {4}\w/)[0] ?? '';
    const asFile = `${errorInfo.replace(/^ {6}/gm, '')}\n`;
    await mkdir(path.join(dir, 'specs/common'), { recursive: true });
    await write('specs/velostrata/error-info.yaml', asFile);
    // Another name: Redocly refuses two files that would make components of the same name.
    await write('specs/common/shared-error.yaml', asFile);

    await edit(VELOSTRATA_SPEC, "$ref: '#/components/schemas/ErrorInfo'", "$ref: './error-info.yaml'");
    const inside = await codegen(dir, 'generate', 'velostrata');
    expect(inside.code, inside.stderr).toBe(0);
    const good = await read(VELOSTRATA_OUT);

    // The other ErrorInfo reference, below the allowed one: the error names this one's line.
    const line = await edit(VELOSTRATA_SPEC, "$ref: '#/components/schemas/ErrorInfo'", "$ref: '../common/shared-error.yaml'");
    await edit(VELOSTRATA_SPEC, `    ErrorInfo:\n${errorInfo}`, ''); // no longer referenced: lint would refuse it unused
    expect(await read(VELOSTRATA_SPEC)).toContain("$ref: './error-info.yaml'");
    const outside = await codegen(dir, 'generate', 'velostrata');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain(
      `${VELOSTRATA_SPEC}:${line}:17 ref-outside-api-folder specs/common/shared-error.yaml is outside specs/velostrata/`,
    );
    expect(await read(VELOSTRATA_OUT)).toBe(good);
  });

  it('says in one line, without a stack or an absolute path, that a spec is a folder or a --config file is missing', async () => {
    await rm(path.join(dir, VELOSTRATA_SPEC));
    await mkdir(path.join(dir, VELOSTRATA_SPEC));
    const folder = await codegen(dir, 'generate', 'velostrata');
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`${VELOSTRATA_SPEC}:1:1 unreadable-file a folder, not a file`);
    const config = await codegen(dir, 'lint', '--config', 'nope.yaml');
    expect(config.code).toBe(1);
    expect(config.stderr.trim()).toBe('vmtasks-codegen: nope.yaml: the file does not exist');
    for (const result of [folder, config]) {
      expect(result.stderr).not.toContain(dir);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('rejects an API that redocly.yaml does not list', async () => {
    const result = await codegen(dir, 'generate', 'vcenter');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`unknown API "vcenter" (redocly.yaml lists: ${(await repoApis()).join(', ')})`);
  });
});

describe('determinism and drift', () => {
  it('generates the committed bytes, twice over', async () => {
    const committed = await readFile(path.join(repo, VELOSTRATA_OUT), 'utf8');
    await write(VELOSTRATA_OUT, '');
    expect((await codegen(dir, 'generate')).code).toBe(0);
    const first = await read(VELOSTRATA_OUT);
    await write(VELOSTRATA_OUT, '');
    expect((await codegen(dir, 'generate')).code).toBe(0);
    expect(await read(VELOSTRATA_OUT)).toBe(first);
    expect(first).toBe(committed);
    expect(first).toMatch(
      /^\/\*\*\n \* This file was auto-generated by openapi-typescript\.\n \* Do not make direct changes to the file\./,
    );
  });

  it('check names the stale file without writing, and passes once regenerated', async () => {
    expect((await codegen(dir, 'check')).code).toBe(0);
    await edit(VELOSTRATA_SPEC, 'description: Task progress', 'description: Task progress, in percent');
    const before = await read(VELOSTRATA_OUT);
    const stale = await codegen(dir, 'check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`stale: ${VELOSTRATA_OUT}`);
    expect(stale.stderr).not.toContain(SNAPSERVICE_OUT);
    expect(await read(VELOSTRATA_OUT)).toBe(before);
    expect((await codegen(dir, 'generate')).code).toBe(0);
    expect(await read(VELOSTRATA_OUT)).toContain('Task progress, in percent');
    expect((await codegen(dir, 'check')).code).toBe(0);
  });

  it('check catches a hand edit of generated code', async () => {
    await write(VELOSTRATA_OUT, (await read(VELOSTRATA_OUT)).replace('progress?: number;', 'progress?: number | string;'));
    const result = await codegen(dir, 'check', 'velostrata');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stale: packages\/velostrata\/src\/generated\/openapi\.ts \(differs from line \d+\)/);
  });
});

describe('turbo caching', () => {
  const turbo = path.join(repo, 'node_modules/.bin/turbo');
  const generate = (logs = 'hash-only'): Promise<{ code: number; stdout: string; stderr: string }> =>
    run(turbo, ['run', 'generate', `--output-logs=${logs}`, '--no-daemon'], dir, { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' });
  const status = (stdout: string, task: string): string => {
    const match = new RegExp(`${task.replace(/[/@]/g, '\\$&')}: cache (hit|miss|bypass)`).exec(stdout);
    return match?.[1] ?? `not run (${stdout})`;
  };

  it('reruns nothing when nothing changed, only the API whose spec changed, and stops at a broken spec', async () => {
    await run('git', ['init', '-q'], dir);
    await run('git', ['add', '-A'], dir);
    await run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'fixture'], dir);

    const cold = await generate();
    expect(cold.code).toBe(0);
    expect(status(cold.stdout, '@vmtasks/velostrata:generate')).toBe('miss');

    const warm = await generate();
    expect(warm.code).toBe(0);
    expect(status(warm.stdout, '@vmtasks/velostrata:generate')).toBe('hit');
    expect(status(warm.stdout, '@vmtasks/snapservice:generate')).toBe('hit');
    expect(warm.stdout).toContain('FULL TURBO');

    await edit(VELOSTRATA_SPEC, 'description: Task progress', 'description: Task progress, in percent');
    const edited = await generate();
    expect(edited.code).toBe(0);
    expect(status(edited.stdout, '@vmtasks/velostrata:generate')).toBe('miss');
    expect(status(edited.stdout, '@vmtasks/snapservice:generate')).toBe('hit');
    expect(await read(VELOSTRATA_OUT)).toContain('Task progress, in percent');

    // Through turbo too, a broken spec fails the run at its line and keeps the last good output.
    const good = await read(VELOSTRATA_OUT);
    const line = await edit(VELOSTRATA_SPEC, "$ref: '#/components/schemas/TaskState'", "$ref: '#/components/schemas/TaskStatus'");
    const broken = await generate('errors-only');
    expect(broken.code).not.toBe(0);
    expect(broken.stdout + broken.stderr).toContain(`specs/velostrata/openapi.yaml:${line}:`);
    expect(await read(VELOSTRATA_OUT)).toBe(good);
  });

  it('npm run generate, redirected, prints one line per API and no npm banner or escape code, run or cached', async () => {
    // As a user's shell starts it: no colour settings, and none of the npm_config_* that the
    // npm running this suite passes down (its loglevel would hide what is checked here).
    const unset = ['FORCE_COLOR', 'NO_COLOR', ...Object.keys(process.env).filter((key) => /^npm_(config|lifecycle|package)_/i.test(key))];
    const env = Object.fromEntries(unset.map((key) => [key, undefined]));
    const npmGenerate = () => run('npm', ['run', 'generate'], dir, env);
    const taskLines = (output: string) => output.split('\n').filter((line) => /^@vmtasks\/[\w-]+:generate: /.test(line));

    // One per API of the registry, whichever APIs it lists.
    const summary = /^@vmtasks\/([\w-]+):generate: \1: lint clean, \S+ unchanged \(\d+ ms\)$/;
    const apis = await repoApis();
    const ran = await npmGenerate();
    const cached = await npmGenerate();
    for (const result of [ran, cached]) {
      expect(result.code).toBe(0);
      expect(result.stdout + result.stderr).not.toContain('\x1b');
    }
    // Run: turbo's "cache miss" line, then the API's one summary line. Cached: one "cache hit" line.
    const ranLines = taskLines(ran.stdout + ran.stderr).filter((line) => !/: cache miss, executing/.test(line));
    expect(ranLines.map((line) => summary.exec(line)?.[1] ?? line).sort()).toEqual([...apis].sort());
    const cachedLines = taskLines(cached.stdout + cached.stderr);
    expect(cachedLines).toEqual(apis.map(() => expect.stringMatching(/: cache hit, suppressing logs/)));
  });
});
