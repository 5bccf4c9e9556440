#!/usr/bin/env -S node --no-opt
// --no-opt: a generator process is over in a third of a second, before optimized code pays for
// its compilation; TurboFan would only take CPU from the other turbo tasks running beside it.
// The toolchain is TypeScript run from source (no build step before `npm run generate`):
// transpiled once into node_modules/.cache (see compiled-source.js) and loaded without a loader
// hook; tsx (which hooks every import) only when that cache cannot be used.
import path from 'node:path';
import { installCodeCache } from './code-cache.js';
import { compiledSource } from './compiled-source.js';

const packageDir = path.resolve(import.meta.dirname, '..');
const cacheDir = path.join(packageDir, 'node_modules/.cache/vmtasks-codegen');
if (process.env.VMTASKS_CODE_CACHE !== 'off') installCodeCache({ cacheDir: path.join(cacheDir, 'v8') });
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
