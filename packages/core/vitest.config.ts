import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Real servers, TLS handshakes and openssl on a loaded 2-core machine: generous limits.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
