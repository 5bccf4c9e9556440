#!/usr/bin/env node
// The breaking-change gate (npm run check:breaking): built into dist/ (build.mjs), or its
// TypeScript run from source through tsx when dist/ is missing or older than src/.
import path from 'node:path';
import { importEntry } from './built-entry.js';

await importEntry(path.resolve(import.meta.dirname, '..'), 'breaking/cli');
