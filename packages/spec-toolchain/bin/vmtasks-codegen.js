#!/usr/bin/env node
// The toolchain is TypeScript run from source (no build step before `npm run generate`):
// transpiled once into node_modules/.cache (see compiled-source.js) and loaded without a loader
// hook; tsx (which hooks every import) only when that cache cannot be used.
import path from 'node:path';
import v8 from 'node:v8';
import { installCodeCache } from './code-cache.js';
import { compiledSource } from './compiled-source.js';

const packageDir = path.resolve(import.meta.dirname, '..');
const cacheDir = path.join(packageDir, 'node_modules/.cache/vmtasks-codegen');
// A generator process is usually over in a third of a second, before optimized code repays its
// compilation: TurboFan would take CPU from the other turbo task beside it (0.08 s per process).
// Eight times V8's budget before a function is optimized keeps that off short runs, while a large
// spec's hot code still gets optimized (--no-opt made a 1,000-operation spec 40 % slower). Set
// here rather than on the command line: a flag a later V8 does not know is then ignored (with a
// warning), not fatal.
const v8Flags = ['--interrupt-budget=540000'];
for (const flag of v8Flags) v8.setFlagsFromString(flag);
if (process.env.VMTASKS_CODE_CACHE !== 'off') installCodeCache({ cacheDir: path.join(cacheDir, 'v8'), v8Flags });
let entry;
try {
  entry = compiledSource({
    srcDir: path.join(packageDir, 'src'),
    cacheDir,
    entry: 'cli.ts',
  }).url;
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/cli.ts';
}
await import(entry);
