import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('snapservice', {
    test: {
      include: ['src/**/*.test.ts'],
      // Contract tests need Prism; they run as their own task (`test:contract`).
      exclude: ['src/**/*.contract.test.ts'],
      typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  }),
);
