import { defineConfig } from 'vitest/config';
import { withSharedTestConfig } from '../../vitest.shared.js';

export default defineConfig(
  withSharedTestConfig('core', {
    test: {
      include: ['src/**/*.test.ts'],
      // Real servers, TLS handshakes and openssl on a loaded 2-core machine: generous limits.
      hookTimeout: 60_000,
      typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  }),
);
