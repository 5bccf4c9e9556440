// The generator's CommonJS dependencies (@redocly/openapi-core, openapi-typescript and the ~170
// files behind them), loaded from one file bundled with esbuild.
//
// Each turbo task of `npm run generate` is a process of its own, and about 0.06 s of each went to
// resolving, reading and compiling those files one by one. One file is resolved and read once, and
// the V8 code cache (code-cache.js) covers all of it. TypeScript stays outside: it is one file
// already, code-cached on its own.
//
// The bundle is built on first use into the cache folder and built again when any file it was
// made of changes (size or mtime, as esbuild's metafile lists them) or esbuild's version does;
// a bundle that does not match its manifest is never loaded. No maintained package bundles
// node_modules for start-up like this (v8-compile-cache caches per file and keeps the resolution
// cost), hence this file.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeAtomically } from './write-atomically.js';

// esbuild is this toolchain's own dependency, whatever folder the packages come from.
const requireOwn = createRequire(import.meta.url);
const BUNDLE = 'dependencies.cjs';
const MANIFEST = 'dependencies.json';

/**
 * Returns the exports of `packages`, resolved from `fromDir`, each loaded on first access from the
 * bundle in `cacheDir` (building it when missing or stale). `cacheDir` must lie inside `fromDir`
 * (node_modules/.cache, say): the bundle requires its `external` packages at run time from where it
 * is, and from there Node finds what `fromDir` would. Without a `cacheDir`, with one outside
 * `fromDir`, or when the bundle cannot be built, each package is required the usual way.
 * @param {{ packages: string[], external?: string[], fromDir: string, cacheDir?: string }} options
 * @returns {{ modules: Record<string, unknown>, source: 'bundle' | 'built' | 'node_modules' }}
 */
export function loadDependencyBundle({ packages, external = [], fromDir, cacheDir }) {
  const requireFromPackage = createRequire(path.join(fromDir, 'package.json'));
  const usable = cacheDir !== undefined && isInside(cacheDir, fromDir);
  const { bundle, source } = usable ? freshBundle({ packages, external, fromDir, cacheDir }) : { source: 'node_modules' };
  const loaded = bundle === undefined ? undefined : createRequire(bundle)(bundle);
  /** @type {Record<string, unknown>} */
  const modules = {};
  for (const name of packages) {
    Object.defineProperty(modules, name, {
      enumerable: true,
      get: () => (loaded ? loaded[name] : requireFromPackage(name)),
    });
  }
  return { modules, source };
}

function isInside(dir, parent) {
  const relative = path.relative(parent, dir);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The bundle's path, built first when missing or stale; none when it cannot be built. */
function freshBundle({ packages, external, fromDir, cacheDir }) {
  try {
    const bundle = path.join(cacheDir, BUNDLE);
    const esbuildVersion = JSON.parse(readFileSync(requireOwn.resolve('esbuild/package.json'), 'utf8')).version;
    const wanted = { packages, external, fromDir, esbuildVersion };
    if (isFresh(path.join(cacheDir, MANIFEST), bundle, wanted)) return { bundle, source: 'bundle' };
    build({ packages, external, fromDir, cacheDir, wanted });
    return { bundle, source: 'built' };
  } catch {
    return { source: 'node_modules' };
  }
}

/** True when the manifest describes this request and every input and the bundle are as recorded. */
function isFresh(manifestFile, bundle, wanted) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return false;
  }
  if (JSON.stringify(manifest?.wanted) !== JSON.stringify(wanted) || typeof manifest.inputs !== 'object') return false;
  try {
    if (statSync(bundle).size !== manifest.bundleSize) return false;
    for (const [file, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
      const stat = statSync(file);
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false;
    }
  } catch {
    return false;
  }
  return true;
}

function build({ packages, external, fromDir, cacheDir, wanted }) {
  const esbuild = requireOwn('esbuild');
  // Each package behind a getter: the bundle's modules run on first access, as require() would,
  // so `lint` never evaluates openapi-typescript (nor loads TypeScript).
  const entry = packages
    .map(
      (name) =>
        `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });`,
    )
    .join('\n');
  const result = esbuild.buildSync({
    stdin: { contents: entry, resolveDir: fromDir, loader: 'js', sourcefile: 'dependencies-entry.cjs' },
    absWorkingDir: fromDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Names kept, so stack traces from the libraries read as they do unbundled.
    keepNames: true,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild wrote no bundle');
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input === '<stdin>' || input.endsWith('dependencies-entry.cjs')) continue;
    const file = path.resolve(fromDir, input);
    const stat = statSync(file);
    inputs[file] = [stat.size, stat.mtimeMs];
  }
  mkdirSync(cacheDir, { recursive: true });
  writeAtomically(path.join(cacheDir, BUNDLE), output.contents);
  writeAtomically(path.join(cacheDir, MANIFEST), JSON.stringify({ wanted, bundleSize: output.contents.byteLength, inputs }));
}
