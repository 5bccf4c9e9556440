import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The pipeline tests start turbo, Redocly and the generator as child processes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
