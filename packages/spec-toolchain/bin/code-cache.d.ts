export interface CodeCacheStats {
  hits: string[];
  misses: string[];
  rejected: string[];
  written: string[];
}
/**
 * Installs the V8 code cache for CommonJS files of at least `minSize` characters (see code-cache.js);
 * `v8Flags`: the flags the process set with v8.setFlagsFromString, part of the cache key.
 */
export function installCodeCache(options: { cacheDir: string; minSize?: number; v8Flags?: string[] }): {
  stats: CodeCacheStats;
  flush(): void;
};
