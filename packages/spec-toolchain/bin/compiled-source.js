// Runs the toolchain's TypeScript without a loader hook at start-up.
//
// tsx (the fallback below) transpiles on the fly, but on Node 20 its hooks run on a loader
// thread of their own and it turns on source maps for every module: about 0.2 s of CPU per
// process, paid by each turbo task of a cold `npm run generate`. Instead each src/*.ts is
// transpiled once with esbuild (tsx's own transpiler) into
// node_modules/.cache/vmtasks-codegen/src/*.js and loaded natively; a file is transpiled again
// when its size or mtime changes. No maintained package does this without a loader hook (tsx,
// jiti and @swc-node/register all hook every import), hence this file.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeAtomically } from './write-atomically.js';

const MANIFEST = 'manifest.json';

/**
 * Returns the file URL of `entry` (a file of src/, subfolders included) transpiled into `cacheDir`, transpiling
 * what is missing, stale or unreadable. Any file of the cache that does not match its manifest
 * entry is transpiled again; throws only when transpiling itself fails (the caller falls back).
 * @param {{ srcDir: string, cacheDir: string, entry: string, transform?: (code: string, file: string) => string }} options
 * @returns {{ url: string, transpiled: string[] }}
 */
export function compiledSource({ srcDir, cacheDir, entry, transform = esbuildTransform }) {
  const outDir = path.join(cacheDir, 'src');
  const manifest = readManifest(path.join(cacheDir, MANIFEST));
  const next = {};
  const transpiled = [];
  for (const name of readdirSync(srcDir, { recursive: true })) {
    if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
    const source = path.join(srcDir, name);
    const out = path.join(outDir, name.replace(/\.ts$/, '.js'));
    const { size, mtimeMs } = statSync(source);
    const known = manifest[name];
    const outSize = fileSize(out);
    if (known && known.size === size && known.mtimeMs === mtimeMs && known.outSize === outSize) {
      next[name] = known;
      continue;
    }
    const code = transform(readFileSync(source, 'utf8'), source);
    mkdirSync(path.dirname(out), { recursive: true });
    writeAtomically(out, code);
    next[name] = { size, mtimeMs, outSize: Buffer.byteLength(code) };
    transpiled.push(name);
  }
  if (transpiled.length > 0 || Object.keys(next).length !== Object.keys(manifest).length) {
    // The transpiled files are ES modules; the cache folder is no package of its own.
    writeAtomically(path.join(cacheDir, 'package.json'), '{ "type": "module" }\n');
    writeAtomically(path.join(cacheDir, MANIFEST), JSON.stringify(next));
  }
  return { url: pathToFileURL(path.join(outDir, entry.replace(/\.ts$/, '.js'))).href, transpiled };
}

/** The manifest, or an empty one when it is missing or not what this file writes. */
function readManifest(file) {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function fileSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

/**
 * TypeScript → ES module. `import.meta.url` / `dirname` / `filename` keep naming the source
 * file, so paths and module resolution are those of src/ (the cache sits in this package's
 * node_modules, so bare imports resolve from the same folders as well).
 */
function esbuildTransform(code, file) {
  const esbuild = requireEsbuild();
  return esbuild.transformSync(code, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: file,
    define: {
      'import.meta.url': JSON.stringify(pathToFileURL(file).href),
      'import.meta.dirname': JSON.stringify(path.dirname(file)),
      'import.meta.filename': JSON.stringify(file),
    },
  }).code;
}

let esbuildModule;
function requireEsbuild() {
  // esbuild is CommonJS and only needed on a cache miss.
  esbuildModule ??= createRequire(import.meta.url)('esbuild');
  return esbuildModule;
}
