// What every package's vitest config shares: one JUnit report per suite, all in reports/junit/
// (git-ignored, published by CI), and time limits with room for a loaded 2-core machine.
import { fileURLToPath } from 'node:url';
import { mergeConfig, type ViteUserConfig } from 'vitest/config';

/** Where the JUnit reports go: `reports/junit/<suite>.xml` at the repository root. */
export const junitDir = fileURLToPath(new URL('reports/junit/', import.meta.url));

/**
 * A package's vitest config with the shared settings under it. `suite` names the report file
 * (`core`, `velostrata-contract`, …); the package's own settings win over the defaults here.
 */
export function withSharedTestConfig(suite: string, config: ViteUserConfig): ViteUserConfig {
  return mergeConfig(
    {
      test: {
        // Test files are named alike across packages (src/client.test.ts): the suite keeps them apart.
        reporters: [
          'default',
          ['junit', { outputFile: `${junitDir}${suite}.xml`, suiteName: suite, classnameTemplate: `${suite}/{filename}` }],
        ],
        // vitest's 5 s default is met on an idle machine and missed under load (loading Prism alone
        // took 38 s on a 2-core machine at load 37, and a contract suite's start-up with Prism over
        // 60 s at load 27–30 in a fresh-clone `npm test`); a test that really hangs still fails,
        // just later. Waits inside tests have their own margins.
        testTimeout: 180_000,
        hookTimeout: 180_000,
      },
    } satisfies ViteUserConfig,
    config,
  );
}

const contractSuite = { include: ['src/**/*.contract.test.ts'] };

/**
 * A client's contract suite (`vitest.contract.config.ts`). By default it runs against the Prism
 * mock whatever the environment says: `<API>_URL` is blanked for the tests, so the cacheable
 * `test:contract` task can never reach, or replay, a real server. With `--mode live` (the
 * `test:contract:live` task, never cached) it runs against the server in `<API>_URL` through
 * Prism's validating proxy, and, when that is unset, runs nothing and says so.
 */
export function contractTestConfig(api: string, mode: string): ViteUserConfig {
  const variable = `${api.toUpperCase().replace(/-/g, '_')}_URL`;
  if (mode !== 'live') return withSharedTestConfig(`${api}-contract`, { test: { ...contractSuite, env: { [variable]: '' } } });
  const upstream = process.env[variable];
  if (upstream) return withSharedTestConfig(`${api}-contract-live`, { test: { ...contractSuite, env: { [variable]: upstream } } });
  console.log(`${variable} is not set: no real ${api} server to test against (README, "Against real servers").`);
  return { test: { include: [], passWithNoTests: true } };
}
