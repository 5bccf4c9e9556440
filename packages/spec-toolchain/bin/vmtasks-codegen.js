#!/usr/bin/env node
// The toolchain as built into dist/ (build.mjs: plain JavaScript, no loader hook at start-up), or,
// when dist/ is missing or older than src/, its TypeScript run from source through tsx.
import path from 'node:path';
import v8 from 'node:v8';
import { importEntry } from './built-entry.js';

// A generator process is usually over in a third of a second, before optimized code repays its
// compilation: TurboFan would take CPU from the other turbo task beside it. Eight times V8's budget
// before a function is optimized keeps that off short runs, while a large spec's hot code still gets
// optimized (--no-opt made a 1,000-operation spec 40 % slower). Set here rather than on the command
// line: a flag a later V8 does not know is then ignored (with a warning), not fatal.
v8.setFlagsFromString('--interrupt-budget=540000');

await importEntry(path.resolve(import.meta.dirname, '..'), 'cli');
