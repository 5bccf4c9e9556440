import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('spec-toolchain', {
    test: {
      include: ['test/**/*.test.ts'],
      // The pipeline, watch, add-api, docs and privacy tests start turbo, npm, the generator and
      // Chromium as child processes.
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  }),
);
