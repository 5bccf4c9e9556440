import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The drift suite starts Prism, which compiles the specs' schemas on its first request.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
