import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Both libraries are CommonJS underneath (openapi-typescript ships a CJS build next to its ESM
// one). Loading them with require() skips the ESM loader's export scan of typescript.js (9 MB),
// and loading them from one bundled file (bin/dependency-bundle.js) skips resolving and reading
// ~170 files: together most of a generator process's start-up. VMTASKS_CODE_CACHE=off loads them
// from node_modules as they are.
const packageDir = path.resolve(import.meta.dirname, '..');
// Imported by its path: this file also runs transpiled from node_modules/.cache (bin/compiled-source.js).
const { loadDependencyBundle } = (await import(
  pathToFileURL(path.join(packageDir, 'bin/dependency-bundle.js')).href
)) as typeof import('../bin/dependency-bundle.js');
const { modules } = loadDependencyBundle({
  packages: ['@redocly/openapi-core', 'openapi-typescript'],
  // One file already, code-cached on its own (bin/code-cache.js).
  external: ['typescript'],
  fromDir: packageDir,
  cacheDir:
    process.env.VMTASKS_CODE_CACHE === 'off' ? undefined : path.join(packageDir, 'node_modules/.cache/vmtasks-codegen/dependencies'),
});

export const redoclyCore = modules['@redocly/openapi-core'] as typeof import('@redocly/openapi-core');
type OpenapiTypescript = typeof import('openapi-typescript');
/** openapi-typescript and TypeScript, loaded on first use: `lint` never needs them. */
export function loadOpenapiTypescript(): OpenapiTypescript {
  return modules['openapi-typescript'] as OpenapiTypescript;
}
