// The README's usage snippets are code users copy: each must compile, strictly, against the
// packages as they are built.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readmePath, readmeSnippets } from './readme.js';
import { typeCheck } from './typescript.js';

// Inside this package, so `@vmtasks/*` resolve as they would for a user.
const scratch = path.resolve(import.meta.dirname, '../.readme-snippets');

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

it('compiles every ts snippet of the Usage section', async () => {
  const snippets = (await readmeSnippets('Usage')).map((snippet) => snippet.code);
  expect(snippets.length).toBeGreaterThanOrEqual(2);

  await mkdir(scratch, { recursive: true });
  await writeFile(path.join(scratch, 'package.json'), '{ "type": "module" }');
  const files = await Promise.all(
    snippets.map(async (snippet, index) => {
      const file = path.join(scratch, `snippet-${index + 1}.ts`);
      // Each snippet is a module of its own (top-level await, local names).
      await writeFile(file, `${snippet}\nexport {};\n`);
      return file;
    }),
  );
  expect(typeCheck(files, { skipLibCheck: true })).toEqual([]);
  // Projects that turn exactOptionalPropertyTypes on may pass `undefined` to an optional option too.
  expect(typeCheck(files, { skipLibCheck: true, exactOptionalPropertyTypes: true })).toEqual([]);
});

it('runs the simulator example as written: the README shows simulator-example.test.ts verbatim', async () => {
  const text = await readFile(readmePath, 'utf8');
  const section = text.slice(text.indexOf('### Testing against the simulator'));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(snippet).toBe(await readFile(path.resolve(import.meta.dirname, 'simulator-example.test.ts'), 'utf8'));
});
