// `npm run build` (and the root's `prepare`, so `npm ci` runs it): the toolchain's TypeScript,
// bundled by esbuild into dist/ so that the bins load plain JavaScript, with no loader hook.
//   dist/cli.js, dist/breaking/cli.js   the two commands, their shared code split into chunks
//   dist/dependencies.cjs               @redocly/openapi-core, openapi-typescript and TypeScript
//                                       (CommonJS, the ~170 files behind them): one file to read
//   dist/dependencies.v8-cache          V8's code cache for it (see src/deps.ts)
// The libraries only some commands load (chokidar, Redoc, Playwright…) stay in node_modules.
// dist/ is where src/ is, one folder below the package, so `import.meta.dirname`-relative paths
// (templates/, the repository root) hold in both.
// The build is made in a folder of its own and swapped in whole: turbo may rebuild (TURBO_FORCE)
// while a generator task beside it runs the bin, which must never find half a dist/.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';

const packageDir = import.meta.dirname;
const dist = path.join(packageDir, 'dist');
// Ignored by git (and so by turbo's inputs), like every .vmtasks-tmp/.
const scratchDir = path.join(packageDir, '.vmtasks-tmp');
mkdirSync(scratchDir, { recursive: true });
const outdir = mkdtempSync(path.join(scratchDir, 'dist-'));
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', keepNames: true, absWorkingDir: packageDir };

try {
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
      (name) =>
        `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });`,
    )
    .join('\n');
  await esbuild.build({
    ...common,
    stdin: { contents: entry, resolveDir: packageDir, loader: 'js', sourcefile: 'dependencies.cjs' },
    outfile: path.join(outdir, 'dependencies.cjs'),
    format: 'cjs',
  });
} catch (error) {
  rmSync(outdir, { recursive: true, force: true });
  throw error;
}

// The swap: a bin starting in between finds no dist/ and runs the source.
const previous = `${outdir}-previous`;
try {
  renameSync(dist, previous);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(outdir, dist);
rmSync(previous, { recursive: true, force: true });

// V8's code cache for that bundle (src/deps.ts loads it with vm.Script): written by one lint and
// generate of a small spec through the built bin, so it holds the functions a run compiles; made
// under the bin's own V8 flags, which V8 checks. A failure leaves no cache, only slower starts.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vmtasks-codegen-build-'));
try {
  cpSync(path.join(packageDir, 'test/fixtures/lint/valid.yaml'), path.join(scratch, 'openapi.yaml'));
  writeFileSync(path.join(scratch, 'redocly.yaml'), 'apis:\n  sample:\n    root: openapi.yaml\n    x-openapi-ts:\n      output: out.ts\n');
  const made = spawnSync(process.execPath, [path.join(packageDir, 'bin/vmtasks-codegen.js'), 'generate'], {
    cwd: scratch,
    env: { ...process.env, VMTASKS_WRITE_CODE_CACHE: path.join(dist, 'dependencies.v8-cache') },
    encoding: 'utf8',
  });
  if (made.status !== 0) console.error(`build.mjs: no code cache (${made.stderr.trim() || `exit ${made.status}`})`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
