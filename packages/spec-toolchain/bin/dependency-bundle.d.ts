/** The exports of `packages`, each loaded on first access from one esbuild bundle (see dependency-bundle.js). */
export function loadDependencyBundle(options: { packages: string[]; external?: string[]; fromDir: string; cacheDir?: string }): {
  modules: Record<string, unknown>;
  source: 'bundle' | 'built' | 'node_modules';
};
