import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Both libraries are CommonJS underneath (openapi-typescript ships a CJS build next to its ESM
// one): loaded with require(), Node's ESM loader never scans typescript.js (9 MB) for its exports.
// Built (dist/), they come bundled in one file beside this code (build.mjs): one file to resolve,
// read and compile instead of ~170. Run from source, they come from node_modules.
const require = createRequire(import.meta.url);
const bundle = fileURLToPath(new URL('./dependencies.cjs', import.meta.url));
const modules = (existsSync(bundle) ? require(bundle) : undefined) as Record<string, unknown> | undefined;
const load = (name: string): unknown => (modules ? modules[name] : require(name));

export const redoclyCore = load('@redocly/openapi-core') as typeof import('@redocly/openapi-core');
type OpenapiTypescript = typeof import('openapi-typescript');
/** openapi-typescript and TypeScript, loaded on first use: `lint` never needs them. */
export function loadOpenapiTypescript(): OpenapiTypescript {
  return load('openapi-typescript') as OpenapiTypescript;
}
