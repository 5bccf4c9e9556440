import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('simulator', {
    test: {
      include: ['src/**/*.test.ts'],
      // The drift suite drives whole waves through Prism: ~30 s on a loaded 2-core machine.
      testTimeout: 120_000,
      typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  }),
);
