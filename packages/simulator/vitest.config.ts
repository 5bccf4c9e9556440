import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // The drift suite starts Prism, which compiles the specs' schemas on its first request.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
