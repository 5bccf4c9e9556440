import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { generateApi, SpecError } from './generate.js';
import { assertNoErrors, lintApi } from './lint.js';
import { formatProblem, type SpecProblem } from './problem.js';
import { findConfig, loadRegistry, RegistryError, selectApis } from './registry.js';

const USAGE = `usage: vmtasks-codegen <lint|generate|check|watch|docs> [api ...] [--config redocly.yaml] [--out docs]
       vmtasks-codegen add-api <name> [--title "Inventory API"] [--install full|lockfile|none]

  lint      lint each spec with the rules of redocly.yaml; exit 1 on any error
  generate  lint each spec, then write its types to x-openapi-ts.output (only if they changed)
  check     regenerate into a temporary folder; exit 1 naming every committed file that is stale
  watch     regenerate an API whenever a file in its spec folder or redocly.yaml changes
  add-api   scaffold a new API: spec skeleton, redocly.yaml entry, packages/<name> (client, tests), types
  docs      write one self-contained reference page per API and an index page to --out (default docs/)

APIs are the keys of \`apis\` in redocly.yaml; none named means all of them.`;

const elapsed = (started: number): string => `${Math.round(performance.now() - started)} ms`;

function printWarnings(problems: readonly SpecProblem[]): void {
  for (const problem of problems) if (problem.severity === 'warn') console.error(formatProblem(problem));
}

function lintSummary(problems: readonly SpecProblem[]): string {
  const warnings = problems.filter((problem) => problem.severity === 'warn').length;
  return warnings > 0 ? ` with ${warnings} warning(s)` : '';
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      title: { type: 'string' },
      install: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    console.error(`vmtasks-codegen: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...names] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const registry = await loadRegistry(values.config ? path.resolve(values.config) : findConfig());
  const apis = command === 'add-api' ? [] : selectApis(registry, names);

  switch (command) {
    case 'lint': {
      let failed = 0;
      for (const api of apis) {
        const started = performance.now();
        try {
          const linted = await lintApi(api, registry);
          printWarnings(linted.problems);
          assertNoErrors(api.name, linted);
          console.log(`${api.name}: lint clean${lintSummary(linted.problems)} (${elapsed(started)})`);
        } catch (error) {
          if (!(error instanceof SpecError)) throw error;
          failed++;
          console.error(error.message);
        }
      }
      return failed > 0 ? 1 : 0;
    }
    case 'generate': {
      let failed = 0;
      for (const api of apis) {
        const started = performance.now();
        try {
          const result = await generateApi(api, registry);
          printWarnings(result.warnings);
          console.log(
            `${api.name}: lint clean${lintSummary(result.warnings)}, ${result.output} ${result.changed ? 'updated' : 'unchanged'} (${elapsed(started)})`,
          );
        } catch (error) {
          if (!(error instanceof SpecError)) throw error;
          failed++;
          console.error(`${error.message}\n${api.name}: generated file left unchanged.`);
        }
      }
      return failed > 0 ? 1 : 0;
    }
    case 'check': {
      const { findStaleOutputs } = await import('./check.js');
      const stale = await findStaleOutputs(registry, apis);
      for (const file of stale) {
        const where = file.line === 0 ? 'missing' : `differs from line ${file.line}`;
        console.error(`stale: ${file.file} (${where}); run \`npm run generate\` and commit the result`);
      }
      if (stale.length === 0) console.log(`generated code is up to date (${apis.map((a) => a.name).join(', ')})`);
      return stale.length > 0 ? 1 : 0;
    }
    case 'add-api': {
      // Each command loads only what it uses: start-up is most of a cold `npm run generate`.
      const { scaffoldApi, ScaffoldError } = await import('./scaffold.js');
      const [name, ...extra] = names;
      const install = values.install ?? 'full';
      if (!name || extra.length > 0 || !['full', 'lockfile', 'none'].includes(install)) {
        console.error(`add-api takes one name, and --install full|lockfile|none\n${USAGE}`);
        return 2;
      }
      const started = performance.now();
      try {
        const result = await scaffoldApi(registry, name, { title: values.title, install: install as 'full' | 'lockfile' | 'none' });
        console.log(`add-api: ${name} added (${elapsed(started)}):\n${result.files.map((file) => `  ${file}`).join('\n')}`);
        console.log(`next: edit specs/${name}/openapi.yaml (npm run dev regenerates on save), then npm test`);
      } catch (error) {
        if (!(error instanceof ScaffoldError)) throw error;
        console.error(`add-api: ${error.message}`);
        return 2;
      }
      return 0;
    }
    case 'docs': {
      const { buildDocs } = await import('./docs.js');
      const started = performance.now();
      const outDir = path.resolve(values.out ?? path.join(registry.rootDir, 'docs'));
      try {
        const pages = await buildDocs(registry, apis, outDir);
        console.log(
          `docs: ${pages.length} API page(s) and index.html in ${path.relative(process.cwd(), outDir) || '.'} (${elapsed(started)})`,
        );
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        console.error(error.message);
        return 1;
      }
      return 0;
    }
    case 'watch': {
      const { describeError, watchApis } = await import('./watch.js');
      const time = (): string => new Date().toISOString().slice(11, 23);
      const watcher = watchApis(registry, names, {
        onReady(specs) {
          console.log(
            `watching ${specs.join(', ')} and ${path.relative(process.cwd(), registry.configPath) || 'redocly.yaml'} (Ctrl-C to stop)`,
          );
        },
        onRegistryChanged(added, changed) {
          const news = added.length > 0 ? `: new API ${added.join(', ')}` : '';
          const what = changed.length > 0 ? `regenerating ${changed.join(', ')}` : "no API's entry or rules changed, nothing to regenerate";
          console.log(`[${time()}] redocly.yaml changed${news}; ${what}`);
        },
        onGenerated(api, result, ms, cause) {
          printWarnings(result.warnings);
          console.log(
            `[${time()}] ${api}: ${cause} changed → ${result.output} ${result.changed ? 'updated' : 'unchanged'} in ${Math.round(ms)} ms`,
          );
        },
        onError(source, error) {
          const message = describeError(error);
          // A registry problem already starts with its file (`redocly.yaml:line:col …`).
          const text = message.startsWith(`${source}:`) ? message : `${source}: ${message}`;
          console.error(`[${time()}] ${text}\n  (previous output kept; still watching)`);
        },
      });
      await new Promise<void>((resolve) => {
        const stop = (): void => void watcher.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A spec or registry problem is the user's to fix: its message, no stack.
    console.error(error instanceof RegistryError || error instanceof SpecError ? `vmtasks-codegen: ${error.message}` : error);
    process.exitCode = 1;
  },
);
