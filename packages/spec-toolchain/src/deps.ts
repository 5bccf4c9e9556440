import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

// Both libraries are CommonJS underneath (openapi-typescript ships a CJS build next to its ESM
// one): loaded with require(), Node's ESM loader never scans typescript.js (9 MB) for its exports.
// Built (dist/), they come with TypeScript in one bundle beside this code, and V8's code cache for
// it made by the build (build.mjs): one file to read instead of ~170, and no 9 MB to compile.
// The cache is handed to V8 through vm.Script's `cachedData`, as Node documents it; a cache V8
// rejects (another Node version, other V8 flags) only costs the time. Run from source, the
// libraries come from node_modules.
const require = createRequire(import.meta.url);
const bundle = fileURLToPath(new URL('./dependencies.cjs', import.meta.url));
const modules = existsSync(bundle) ? loadBundle(bundle) : undefined;
const load = (name: string): unknown => (modules ? modules[name] : require(name));

export const redoclyCore = load('@redocly/openapi-core') as typeof import('@redocly/openapi-core');
type OpenapiTypescript = typeof import('openapi-typescript');
/** openapi-typescript and TypeScript, loaded on first use: `lint` never needs them. */
export function loadOpenapiTypescript(): OpenapiTypescript {
  return load('openapi-typescript') as OpenapiTypescript;
}

/** The CommonJS bundle's exports, compiled with its code cache when V8 takes it. */
function loadBundle(file: string): Record<string, unknown> {
  const cacheFile = file.replace(/\.cjs$/, '.v8-cache');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache: compiled from source
  }
  const source = readFileSync(file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    // An import() in the bundle (Redocly's plugin loader) resolves as it would in a required file.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // build.mjs runs one lint and generate with this set, to write the cache of what they compiled.
  const writeCacheTo = process.env.VMTASKS_WRITE_CODE_CACHE;
  if (writeCacheTo) {
    process.once('exit', () => {
      // Through a rename: a generator starting meanwhile reads the whole cache or none.
      writeFileSync(`${writeCacheTo}.${process.pid}`, script.createCachedData());
      renameSync(`${writeCacheTo}.${process.pid}`, writeCacheTo);
    });
  }
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}
