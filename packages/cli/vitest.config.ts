import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('cli', {
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // The end-to-end tests start real processes and a simulated wave; they wait on readiness,
      // never on fixed sleeps. One file at a time: each end-to-end file runs several processes of
      // its own, and the rest of the monorepo's suites share the same two cores.
      fileParallelism: false,
    },
  }),
);
