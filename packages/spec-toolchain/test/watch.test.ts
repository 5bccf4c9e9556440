// `npm run dev`: a save regenerates only that API, however the editor saves; a broken save or a
// lint problem is reported at file:line:col and the last good output stays; redocly.yaml is live.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { copyWorkspace, freshApiName, repoApis, startWatch, type WatchProcess } from '../src/test-workspace.js';

let dir: string;
let remove: () => Promise<void>;
let watch: WatchProcess | undefined;
let spec: string;
let generated: string;
let original: string;

beforeEach(async () => {
  ({ dir, remove } = await copyWorkspace());
  spec = path.join(dir, 'specs/velostrata/openapi.yaml');
  generated = path.join(dir, 'packages/velostrata/src/generated/openapi.ts');
  original = await readFile(spec, 'utf8');
  watch = await startWatch(dir);
});
afterEach(async () => {
  await watch?.stop();
  await remove();
});

const edited = (n: number): string => original.replace('description: Task progress', `description: Task progress (edit ${n})`);
const UPDATED = /velostrata: spec changed → packages\/velostrata\/src\/generated\/openapi\.ts updated in \d+ ms/;

// How fast is for `npm run bench` to measure; these check what happens.
it('regenerates the saved API, survives a broken save, and stops on Ctrl-C', async () => {
  const w = watch!;
  const specs = (await repoApis()).map((api) => `specs/${api}/openapi.yaml`).join(', ');
  expect(w.output()).toContain(`watching ${specs} and redocly.yaml`);

  let from = w.mark();
  await writeFile(spec, edited(1));
  await w.waitFor(UPDATED, from);
  expect(await readFile(generated, 'utf8')).toContain('Task progress (edit 1)');
  expect(w.output()).not.toMatch(/snapservice: spec changed/);

  const good = await readFile(generated, 'utf8');
  from = w.mark();
  await writeFile(spec, original.replace('    get:\n', '    get:\n   oops: [\n'));
  await w.waitFor(
    /velostrata: API "velostrata": the spec has 1 problem[\s\S]*specs\/velostrata\/openapi\.yaml:\d+:\d+ yaml-syntax [\s\S]*still watching/,
    from,
  );
  expect(await readFile(generated, 'utf8')).toBe(good);

  from = w.mark();
  await writeFile(spec, original);
  await w.waitFor(UPDATED, from);
  expect(await readFile(generated, 'utf8')).not.toContain('Task progress (edit');

  expect(await w.stop()).toBe(0);
});

it('keeps watching after rename-saves (vim, sed -i, IDEs) and a delete + re-create', async () => {
  const w = watch!;
  // Three rename-saves in a row: Node 20's recursive fs.watch loses the file after the first.
  for (const n of [1, 2, 3]) {
    const from = w.mark();
    const temporary = `${spec}.tmp-${n}`;
    await writeFile(temporary, edited(n));
    await rename(temporary, spec);
    await w.waitFor(UPDATED, from);
    expect(await readFile(generated, 'utf8')).toContain(`Task progress (edit ${n})`);
  }

  let from = w.mark();
  await rm(spec);
  // Deleted: reported (or not yet), never a crash; re-created: regenerated.
  await writeFile(spec, edited(4));
  await w.waitFor(UPDATED, from);
  expect(await readFile(generated, 'utf8')).toContain('Task progress (edit 4)');

  from = w.mark();
  await writeFile(spec, edited(5));
  await w.waitFor(UPDATED, from);
  expect(await readFile(generated, 'utf8')).toContain('Task progress (edit 5)');
  // Each save was one regeneration: a rename-save used to add a second one, "unchanged".
  expect(w.output()).not.toMatch(/unchanged/);
});

it('reports a lint problem as file:line:col rule message and keeps the last good output', async () => {
  const w = watch!;
  const good = await readFile(generated, 'utf8');
  const from = w.mark();
  // Valid YAML and valid OpenAPI, but the operationId breaks a rule of redocly.yaml.
  const broken = original.replace('operationId: getActiveTasks', 'operationId: get_active_tasks');
  await writeFile(spec, broken);
  const line = broken.slice(0, broken.indexOf('operationId: get_active_tasks')).split('\n').length;
  await w.waitFor(
    new RegExp(
      `specs/velostrata/openapi\\.yaml:${line}:\\d+ rule/operation-id-camel-case operationId must be camelCase[\\s\\S]*still watching`,
    ),
    from,
  );
  expect(await readFile(generated, 'utf8')).toBe(good);
});

it('picks up an API added to redocly.yaml while running', async () => {
  const w = watch!;
  const name = await freshApiName('inventory'); // [a-z0-9-]: nothing to escape in a RegExp
  await mkdir(path.join(dir, `specs/${name}`), { recursive: true });
  await mkdir(path.join(dir, `packages/${name}`), { recursive: true });
  await writeFile(path.join(dir, `packages/${name}/package.json`), `{ "name": "@vmtasks/${name}", "private": true }\n`);
  await writeFile(
    path.join(dir, `specs/${name}/openapi.yaml`),
    original.replace('description: Task progress', 'description: Inventory progress'),
  );
  let from = w.mark();
  const registry = await readFile(path.join(dir, 'redocly.yaml'), 'utf8');
  await writeFile(
    path.join(dir, 'redocly.yaml'),
    registry.replace(
      'apis:\n',
      `apis:\n  ${name}:\n    root: specs/${name}/openapi.yaml\n    x-openapi-ts:\n      output: packages/${name}/src/generated/openapi.ts\n`,
    ),
  );
  await w.waitFor(
    new RegExp(
      `redocly\\.yaml changed: new API ${name}; regenerating ${name}\\n[\\s\\S]*${name}: redocly\\.yaml changed → packages/${name}/src/generated/openapi\\.ts updated`,
    ),
    from,
  );
  const output = path.join(dir, `packages/${name}/src/generated/openapi.ts`);
  expect(await readFile(output, 'utf8')).toContain('Inventory progress');

  // …and its spec folder is watched from then on.
  from = w.mark();
  await writeFile(
    path.join(dir, `specs/${name}/openapi.yaml`),
    original.replace('description: Task progress', 'description: Inventory progress, edited'),
  );
  await w.waitFor(new RegExp(`${name}: spec changed → \\S+ updated`), from);
  expect(await readFile(output, 'utf8')).toContain('Inventory progress, edited');
});

it('reports a broken redocly.yaml at its line, keeps watching, and recovers when it is fixed', async () => {
  const w = watch!;
  const registryFile = path.join(dir, 'redocly.yaml');
  const registry = await readFile(registryFile, 'utf8');
  const line = registry.slice(0, registry.indexOf('apis:\n')).split('\n').length + 1;
  let from = w.mark();
  await writeFile(registryFile, registry.replace('apis:\n', 'apis:\n  broken: ]\n'));
  await w.waitFor(new RegExp(`\\] redocly\\.yaml:${line}:11 yaml-syntax [^\\n]+\\n  \\(previous output kept; still watching\\)`), from);

  from = w.mark();
  await writeFile(registryFile, registry);
  // As it was before the broken edit: nothing to regenerate.
  await w.waitFor(/redocly\.yaml changed; no API's entry or rules changed, nothing to regenerate/, from);
  from = w.mark();
  await writeFile(spec, edited(1));
  await w.waitFor(UPDATED, from);
});

it('regenerates, after an edit of redocly.yaml, only the APIs whose entry or rules it changed, and says so', async () => {
  const w = watch!;
  const registryFile = path.join(dir, 'redocly.yaml');
  const registry = await readFile(registryFile, 'utf8');
  // A comment: no API is regenerated.
  let from = w.mark();
  await writeFile(registryFile, `${registry}# a comment\n`);
  await w.waitFor(/redocly\.yaml changed; no API's entry or rules changed, nothing to regenerate/, from);
  // A rule for velostrata alone: velostrata only, and for that reason.
  from = w.mark();
  const ruled = registry.replace(
    '      output: packages/velostrata/src/generated/openapi.ts\n',
    '      output: packages/velostrata/src/generated/openapi.ts\n    rules:\n      operation-summary: warn\n',
  );
  expect(ruled).not.toBe(registry);
  await writeFile(registryFile, ruled);
  await w.waitFor(/redocly\.yaml changed; regenerating velostrata\n[\s\S]*velostrata: redocly\.yaml changed → \S+ unchanged/, from);
  // A save of a spec after it: its output comes after any other regeneration the edit caused.
  const after = w.mark();
  await writeFile(spec, edited(1));
  await w.waitFor(UPDATED, after);
  expect(w.output().slice(from)).not.toMatch(/spec changed → \S+ unchanged|snapservice: /);
});
