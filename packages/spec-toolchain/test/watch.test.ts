// `npm run dev`: a save regenerates only that API; a broken save reports and keeps watching.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { copyWorkspace, repo } from '../src/scratch.js';

let dir: string;
let remove: () => Promise<void>;
let watcher: ChildProcessWithoutNullStreams | undefined;
let output = '';

beforeEach(async () => {
  ({ dir, remove } = await copyWorkspace());
});
afterEach(async () => {
  watcher?.kill('SIGINT');
  await new Promise((resolve) => (watcher?.exitCode !== null ? resolve(undefined) : watcher.once('exit', resolve)));
  await remove();
});

/** Resolves once the watcher's combined output matches, with everything printed so far. */
function waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = output.length;
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)), timeoutMs);
    const check = (): void => {
      if (pattern.test(output.slice(started))) {
        clearTimeout(timer);
        watcher?.stdout.off('data', check);
        watcher?.stderr.off('data', check);
        resolve(output);
      }
    };
    watcher?.stdout.on('data', check);
    watcher?.stderr.on('data', check);
  });
}

// How fast is for `npm run bench` to measure; this checks what happens.
it('regenerates the saved API, survives a broken save, and stops on Ctrl-C', async () => {
  watcher = spawn(process.execPath, [path.join(repo, 'packages/spec-toolchain/bin/vmtasks-codegen.js'), 'watch'], { cwd: dir });
  watcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  watcher.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(/watching specs\/velostrata\/openapi\.yaml, specs\/snapservice\/openapi\.yaml/);

  const spec = path.join(dir, 'specs/velostrata/openapi.yaml');
  const generated = path.join(dir, 'packages/velostrata/src/generated/openapi.ts');
  const original = await readFile(spec, 'utf8');

  await writeFile(spec, original.replace('description: Task progress', 'description: Task progress, in percent'));
  await waitFor(/velostrata: spec changed → packages\/velostrata\/src\/generated\/openapi\.ts updated in \d+ ms/);
  expect(await readFile(generated, 'utf8')).toContain('Task progress, in percent');
  expect(output).not.toMatch(/snapservice: spec changed/);

  const good = await readFile(generated, 'utf8');
  await writeFile(spec, original.replace('    get:\n', '    get:\n   oops: [\n'));
  await waitFor(/velostrata: API "velostrata": the spec has 1 problem[\s\S]*still watching/);
  expect(await readFile(generated, 'utf8')).toBe(good);

  await writeFile(spec, original);
  await waitFor(/velostrata: spec changed → .* updated/);
  expect(await readFile(generated, 'utf8')).not.toContain('Task progress, in percent');

  watcher.kill('SIGINT');
  const code = await new Promise((resolve) => watcher?.once('exit', resolve));
  expect(code).toBe(0);
});
