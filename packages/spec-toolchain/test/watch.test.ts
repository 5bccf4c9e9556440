// `npm run dev`: a save regenerates only that API; a broken save reports and keeps watching.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { copyWorkspace, startWatch, type WatchProcess } from '../src/scratch.js';

let dir: string;
let remove: () => Promise<void>;
let watch: WatchProcess | undefined;

beforeEach(async () => {
  ({ dir, remove } = await copyWorkspace());
});
afterEach(async () => {
  await watch?.stop();
  await remove();
});

// How fast is for `npm run bench` to measure; this checks what happens.
it('regenerates the saved API, survives a broken save, and stops on Ctrl-C', async () => {
  watch = await startWatch(dir);
  expect(watch.output()).toMatch(/watching specs\/velostrata\/openapi\.yaml, specs\/snapservice\/openapi\.yaml/);

  const spec = path.join(dir, 'specs/velostrata/openapi.yaml');
  const generated = path.join(dir, 'packages/velostrata/src/generated/openapi.ts');
  const original = await readFile(spec, 'utf8');

  let from = watch.mark();
  await writeFile(spec, original.replace('description: Task progress', 'description: Task progress, in percent'));
  await watch.waitFor(/velostrata: spec changed → packages\/velostrata\/src\/generated\/openapi\.ts updated in \d+ ms/, from);
  expect(await readFile(generated, 'utf8')).toContain('Task progress, in percent');
  expect(watch.output()).not.toMatch(/snapservice: spec changed/);

  const good = await readFile(generated, 'utf8');
  from = watch.mark();
  await writeFile(spec, original.replace('    get:\n', '    get:\n   oops: [\n'));
  await watch.waitFor(/velostrata: API "velostrata": the spec has 1 problem[\s\S]*still watching/, from);
  expect(await readFile(generated, 'utf8')).toBe(good);

  from = watch.mark();
  await writeFile(spec, original);
  await watch.waitFor(/velostrata: spec changed → .* updated/, from);
  expect(await readFile(generated, 'utf8')).not.toContain('Task progress, in percent');

  expect(await watch.stop()).toBe(0);
});
