export interface CodeCacheStats {
  hits: string[];
  misses: string[];
  rejected: string[];
  written: string[];
}
/** Installs the V8 code cache for CommonJS files of at least `minSize` characters (see code-cache.js). */
export function installCodeCache(options: { cacheDir: string; minSize?: number }): { stats: CodeCacheStats; flush(): void };
