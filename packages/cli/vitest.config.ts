import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end tests start real processes and a simulated wave: generous limits for a
    // loaded 2-core machine (they wait on readiness, never on fixed sleeps).
    testTimeout: 60_000,
    // One file at a time: each end-to-end file runs several processes of its own, and the
    // rest of the monorepo's suites share the same two cores.
    fileParallelism: false,
    hookTimeout: 30_000,
  },
});
