// redocly.yaml is read once, by loadRegistry: an API name that could escape a file name, a
// package name or a generated comment, or an output outside the repository, is refused there,
// at its line, before any command writes anything.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadRegistry, RegistryError } from '../src/registry.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-registry-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A redocly.yaml with one API, `name` and `output` written as given; what loadRegistry throws, or 'loaded'. */
async function load(name: string, output = 'packages/a/src/generated/openapi.ts'): Promise<string> {
  await writeFile(
    path.join(dir, 'redocly.yaml'),
    `# APIs\napis:\n  ${name}:\n    root: specs/a/openapi.yaml\n    x-openapi-ts:\n      output: ${output}\n`,
  );
  try {
    await loadRegistry(path.join(dir, 'redocly.yaml'));
    return 'loaded';
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return error.message;
  }
}

it('takes the names the project uses', async () => {
  for (const name of ['velostrata', 'snapservice', 'vm-inventory', 'a2', 'x'.repeat(50)]) expect(await load(name), name).toBe('loaded');
});

it('refuses, at redocly.yaml:line:col, a name that closes the generated header comment, leaves --out, or npm would refuse', async () => {
  for (const name of [
    "'x */ process.exit(1); /*'",
    "'../../outside'",
    "'a/b'",
    'Inventory',
    'inv_entory',
    "'a-'",
    'x'.repeat(51),
    "'caf\u00e9'",
    '"a\\e[2Jb"',
  ]) {
    expect(await load(name), name).toMatch(/^redocly\.yaml:3:3 api-name "[^\n]*" is not a valid API name: .*at most 50 characters$/);
  }
});

it('refuses an x-openapi-ts.output outside the repository, at its line, symlinks followed', async () => {
  expect(await load('a', '../elsewhere/openapi.ts')).toMatch(
    /^redocly\.yaml:6:15 output-outside-repository "\.\.\/elsewhere\/openapi\.ts" is outside /,
  );
  expect(await load('a', '/tmp/openapi.ts')).toMatch(/^redocly\.yaml:6:15 output-outside-repository /);
  const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-elsewhere-'));
  try {
    await mkdir(path.join(dir, 'packages'), { recursive: true });
    await symlink(elsewhere, path.join(dir, 'packages/linked'));
    expect(await load('a', 'packages/linked/src/openapi.ts')).toMatch(/^redocly\.yaml:6:15 output-outside-repository /);
  } finally {
    await rm(elsewhere, { recursive: true, force: true });
  }
});

it('refuses a redocly.yaml that would have Redocly fetch its configuration (extends, $ref, plugins), at the URL', async () => {
  const base =
    '# APIs\napis:\n  a:\n    root: specs/a/openapi.yaml\n    x-openapi-ts:\n      output: packages/a/src/generated/openapi.ts\n';
  for (const [extra, line, column] of [
    ['extends:\n  - recommended\n  - https://127.0.0.1:9/preset.yaml\n', 9, 5],
    ['rules:\n  $ref: http://127.0.0.1:9/rules.yaml\n', 8, 9],
    ['plugins:\n  - http://127.0.0.1:9/plugin.js\n', 8, 5],
  ] as const) {
    await writeFile(path.join(dir, 'redocly.yaml'), base + extra);
    const error = await loadRegistry(path.join(dir, 'redocly.yaml')).catch((e: unknown) => e);
    expect(error, extra).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(new RegExp(`^redocly\\.yaml:${line}:${column} remote-config "http`));
  }
});
