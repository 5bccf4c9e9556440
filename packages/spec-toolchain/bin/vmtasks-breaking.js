#!/usr/bin/env node
// The breaking-change gate (npm run check:breaking); TypeScript run from source through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/breaking/cli.ts');
