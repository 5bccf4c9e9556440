import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('simulator', {
    test: {
      include: ['src/**/*.test.ts'],
      typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  }),
);
