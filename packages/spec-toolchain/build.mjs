// `npm run build` (and the root's `prepare`, so `npm ci` runs it): the toolchain's TypeScript,
// bundled by esbuild into dist/ so that the bins load plain JavaScript, with no loader hook.
//   dist/cli.js, dist/breaking/cli.js   the two commands, their shared code split into chunks
//   dist/dependencies.cjs               @redocly/openapi-core and openapi-typescript (CommonJS, with
//                                       the ~170 files behind them): one file to read instead of many
// TypeScript (one 9 MB file already) and the libraries only some commands load (chokidar, Redoc,
// Playwright…) stay in node_modules. dist/ is where src/ is, one folder below the package, so
// `import.meta.dirname`-relative paths (templates/, the repository root) hold in both.
import { rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const packageDir = import.meta.dirname;
const outdir = path.join(packageDir, 'dist');
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', keepNames: true, absWorkingDir: packageDir };

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  ...common,
  entryPoints: ['src/cli.ts', 'src/breaking/cli.ts'],
  outbase: 'src',
  outdir,
  format: 'esm',
  splitting: true,
  // Every package is loaded from node_modules, or (the two in src/deps.ts) from dist/dependencies.cjs.
  packages: 'external',
});
// Each package behind a getter, run on first access as require() would: `lint` never evaluates
// openapi-typescript, nor loads TypeScript.
const entry = ['@redocly/openapi-core', 'openapi-typescript']
  .map(
    (name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });`,
  )
  .join('\n');
await esbuild.build({
  ...common,
  stdin: { contents: entry, resolveDir: packageDir, loader: 'js', sourcefile: 'dependencies.cjs' },
  outfile: path.join(outdir, 'dependencies.cjs'),
  format: 'cjs',
  external: ['typescript'],
});
