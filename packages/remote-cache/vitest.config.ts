import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('remote-cache', {
    test: {
      include: ['test/**/*.test.ts'],
      // Two clones run the pipeline (tsc builds, the generator) on a loaded 2-core machine.
      testTimeout: 600_000,
      hookTimeout: 600_000,
    },
  }),
);
