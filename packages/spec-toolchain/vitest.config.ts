import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('spec-toolchain', {
    test: {
      include: ['test/**/*.test.ts'],
      // The pipeline tests start turbo, Redocly and the generator as child processes.
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  }),
);
