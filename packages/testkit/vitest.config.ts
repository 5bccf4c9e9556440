import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(withSharedTestConfig('testkit', { test: { include: ['src/**/*.test.ts'] } }));
