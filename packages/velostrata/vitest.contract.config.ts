import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.contract.test.ts'],
    // Prism compiles the spec's schemas on the first request.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
