/** Transpiles what is missing or stale of `srcDir` into `cacheDir`; returns the entry's file URL (see compiled-source.js). */
export function compiledSource(options: {
  srcDir: string;
  cacheDir: string;
  entry: string;
  transform?: (code: string, file: string) => string;
}): { url: string; transpiled: string[] };
