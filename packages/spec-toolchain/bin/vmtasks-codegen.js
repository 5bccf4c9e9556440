#!/usr/bin/env node
// The toolchain is TypeScript run from source (no build step before `npm run generate`);
// tsx compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
