import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Packing and installing tarballs, and running tsc, take seconds each.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
