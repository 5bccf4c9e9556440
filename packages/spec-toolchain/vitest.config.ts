import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The pipeline, watch, add-api, docs and privacy tests start turbo, npm, the generator and
    // Chromium as child processes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
