import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Real servers, TLS handshakes and openssl on a loaded 2-core machine: generous limits.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Contract tests need Prism; they run as their own task (`test:contract`).
    exclude: ['src/**/*.contract.test.ts'],
    typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
