import { createRequire } from 'node:module';

// Both libraries are CommonJS underneath (openapi-typescript ships a CJS build next to its ESM
// one). Loading them with require() skips the ESM loader's export scan of typescript.js (9 MB),
// which costs about 0.35 s at every generator start — most of a cold `npm run generate`.
const require = createRequire(import.meta.url);

export const redoclyCore = require('@redocly/openapi-core') as typeof import('@redocly/openapi-core');
type OpenapiTypescript = typeof import('openapi-typescript');
let openapiTypescript: OpenapiTypescript | undefined;
/** openapi-typescript and TypeScript, loaded on first use: `lint` never needs them. */
export function loadOpenapiTypescript(): OpenapiTypescript {
  openapiTypescript ??= require('openapi-typescript') as OpenapiTypescript;
  return openapiTypescript;
}
