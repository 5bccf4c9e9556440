// A V8 code cache for the large CommonJS files the generator loads (typescript.js is 9 MB).
//
// Node 20 has no module.enableCompileCache (22.1+). `v8-compile-cache` replaces
// Module.prototype._compile for every file and compiles each as CommonJS, which breaks Node 20's
// require() of ES modules (openapi-typescript loads some); this hook takes over only CommonJS
// files above a size, and hands everything else to Node unchanged.
//
// Each cached file is keyed by path, size, mtime, Node version and architecture; its bytes carry
// a checksum, so a cache that is stale, truncated or corrupt is ignored (and rewritten) rather
// than handed to V8. Cache data are written once, when the process exits, so they hold the
// functions the run compiled, not just the top level.
// V8 rejects code cached under other flags, so the process's flags (its command line and those it
// set with v8.setFlagsFromString, `v8Flags`) are part of the key too.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { writeAtomically } from './write-atomically.js';

const MIN_SIZE = 256 * 1024;
const CHECKSUM_BYTES = 16;

/**
 * @typedef {{ hits: string[], misses: string[], rejected: string[], written: string[] }} CodeCacheStats
 * @param {{ cacheDir: string, minSize?: number, v8Flags?: string[] }} options
 * @returns {{ stats: CodeCacheStats, flush(): void }}
 */
export function installCodeCache({ cacheDir, minSize = MIN_SIZE, v8Flags = [] }) {
  const flags = [...process.execArgv, ...v8Flags].join(' ');
  const stats = { hits: [], misses: [], rejected: [], written: [] };
  /** @type {{ file: string, script: vm.Script }[]} */
  const toWrite = [];
  const originalCompile = Module.prototype._compile;

  Module.prototype._compile = function compile(content, filename, format) {
    // ES modules (format 'module'), small files and anything odd go the usual way.
    if ((format !== undefined && format !== 'commonjs') || content.length < minSize || typeof filename !== 'string') {
      return originalCompile.call(this, content, filename, format);
    }
    let stat;
    try {
      stat = statSync(filename);
    } catch {
      return originalCompile.call(this, content, filename, format);
    }
    const file = path.join(cacheDir, `${cacheKey(filename, stat, flags)}.bin`);
    const cachedData = readChecked(file);
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined) {
      stats.misses.push(filename);
      toWrite.push({ file, script });
    } else if (script.cachedDataRejected) {
      stats.rejected.push(filename);
      toWrite.push({ file, script });
    } else {
      stats.hits.push(filename);
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename));
  };

  let flushed = false;
  const flush = () => {
    if (flushed) return;
    flushed = true;
    Module.prototype._compile = originalCompile;
    for (const { file, script } of toWrite) {
      try {
        const data = script.createCachedData();
        mkdirSync(cacheDir, { recursive: true });
        writeAtomically(file, Buffer.concat([checksum(data), data]));
        stats.written.push(file);
      } catch {
        // A cache that cannot be written only costs the next run its speed.
      }
    }
  };
  process.once('exit', flush);
  return { stats, flush };
}

function cacheKey(filename, stat, flags) {
  return createHash('sha256')
    .update([filename, stat.size, stat.mtimeMs, process.version, process.arch, flags].join('\0'))
    .digest('hex')
    .slice(0, 32);
}

function checksum(data) {
  return createHash('md5').update(data).digest();
}

/** The cached bytes, or undefined when missing, truncated or not matching their checksum. */
function readChecked(file) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= CHECKSUM_BYTES) return undefined;
  const data = bytes.subarray(CHECKSUM_BYTES);
  return checksum(data).equals(bytes.subarray(0, CHECKSUM_BYTES)) ? data : undefined;
}

/** The `require` a CommonJS module gets, as Node builds it (lib/internal/modules/helpers.js). */
function makeRequire(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}
