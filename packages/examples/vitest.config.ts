import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('examples', {
    test: {
      include: ['src/**/*.test.ts'],
      // Packing and installing tarballs, and running tsc, take seconds each.
      testTimeout: 180_000,
      hookTimeout: 180_000,
    },
  }),
);
