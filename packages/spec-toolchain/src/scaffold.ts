import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateApi } from './generate.js';
import { SpecError } from './lint.js';
import { apiNameProblem, loadRegistry, RegistryError, type Registry } from './registry.js';

const TEMPLATES = path.resolve(import.meta.dirname, '../templates/api');

/** A name add-api refuses: exit 2, with the reason. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

export interface ScaffoldOptions {
  /** `info.title` of the new spec; default "<Name> API". */
  title?: string;
  /**
   * How to register the new workspace with npm: `full` runs `npm install` (lock file and
   * node_modules link), `lockfile` only updates package-lock.json, `none` skips npm.
   */
  install?: 'full' | 'lockfile' | 'none';
}

export interface ScaffoldResult {
  /** Files written or changed, relative to the repository root. */
  files: string[];
}

const pascal = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Every template file under `dir`, relative to it. */
async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template placeholder ${match} has no value`);
    return value;
  });
}

/** Adds an entry under `apis:` of redocly.yaml after the last one, keeping the file's comments and layout. */
export function addRegistryEntry(config: string, name: string, root: string, output: string): string {
  const lines = config.split('\n');
  const start = lines.findIndex((line) => /^apis:\s*$/.test(line));
  if (start < 0) throw new ScaffoldError('redocly.yaml has no top-level `apis:` map');
  let end = start + 1;
  while (end < lines.length && (lines[end] === '' || /^\s/.test(lines[end] ?? ''))) end++;
  while (end > start + 1 && lines[end - 1]?.trim() === '') end--;
  const entry = [`  ${name}:`, `    root: ${root}`, '    x-openapi-ts:', `      output: ${output}`];
  return [...lines.slice(0, end), ...entry, ...lines.slice(end)].join('\n');
}

/**
 * Formats the new package's sources with the repository's Biome and its biome.jsonc, as
 * `npm run format` would: how a line of the templates wraps depends on the name put into it
 * (`export { createInventoryClient, … }` outgrows the line width, a shorter name does not), so
 * only the formatter can leave them as `npm test`'s `biome check` wants them. A repository
 * without Biome is left as rendered.
 */
async function formatLikeTheRepository(rootDir: string, dir: string): Promise<void> {
  let biome: string;
  try {
    biome = createRequire(path.join(rootDir, 'package.json')).resolve('@biomejs/biome/bin/biome');
  } catch {
    return;
  }
  await promisify(execFile)(process.execPath, [biome, 'check', '--write', '--no-errors-on-unmatched', dir], { cwd: rootDir });
}

/** The identifiers of the TypeScript templates, as written: `{{Name}}Error` stays a pattern. */
async function templateIdentifiers(): Promise<string[]> {
  const found: string[] = [];
  for (const file of await templateFiles(TEMPLATES)) {
    if (!file.endsWith('.ts.tmpl')) continue;
    const text = await readFile(path.join(TEMPLATES, file), 'utf8');
    found.push(...(text.match(/[A-Za-z_$][\w$]*(?:\{\{\w+\}\}[\w$]*)*|\{\{\w+\}\}[\w$]*(?:\{\{\w+\}\}[\w$]*)*/g) ?? []));
  }
  return found;
}

/**
 * The names `@vmtasks/core/public` exports, which every client re-exports next to its own
 * (`export * from '@vmtasks/core/public'` in the template's index): read from its source.
 */
async function corePublicNames(rootDir: string): Promise<string[]> {
  let core: string;
  try {
    core = realpathSync(path.join(rootDir, 'node_modules/@vmtasks/core'));
  } catch {
    return [];
  }
  for (const entry of ['src/public.ts', 'dist/public.d.ts']) {
    const text = await readFile(path.join(core, entry), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    return [...text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((block) =>
      (block[1] ?? '')
        .split(',')
        .map(
          (item) =>
            item
              .replace(/\/\/.*$/gm, '')
              .trim()
              .replace(/^type\s+/, '')
              .split(/\s+as\s+/)
              .pop() ?? '',
        )
        .filter(Boolean),
    );
  }
  return [];
}

/**
 * Why the template cannot take `name`: an identifier it derives from the name (`{{Name}}Error`,
 * `create{{Name}}Client`…) that is already one of its own (`ApiError` for "api") or one that
 * core exports to every client (`TimeoutError` for "timeout").
 */
async function clashingIdentifiers(rootDir: string, values: Record<string, string>): Promise<string | undefined> {
  const identifiers = await templateIdentifiers();
  const fixed = new Set([...identifiers.filter((word) => !word.includes('{{')), ...(await corePublicNames(rootDir))]);
  // `{{name}}` (lower case) is only ever in strings and URLs; identifiers take `{{Name}}`.
  const derived = [...new Set(identifiers.filter((word) => word.includes('{{Name}}')).map((word) => render(word, values)))];
  const clashes = derived.filter((word) => fixed.has(word));
  return clashes.length > 0 ? clashes.join(', ') : undefined;
}

/** What add-api changed so far, and how to take it back. */
class Undo {
  private readonly steps: (() => Promise<void>)[] = [];
  /** `dir` did not exist: removing it takes back everything written in it. */
  created(dir: string): void {
    this.steps.push(() => rm(dir, { recursive: true, force: true }));
  }
  /** `file` had `content` (undefined: it did not exist). */
  async changing(file: string): Promise<void> {
    const content = await readFile(file).catch(() => undefined);
    this.steps.push(() => (content === undefined ? rm(file, { force: true }) : writeFile(file, content)));
  }
  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step();
  }
}

/** A step's failure in one line: what failed, without a stack (npm's own words for npm). */
function failure(step: string, error: unknown): string {
  if (error instanceof SpecError || error instanceof RegistryError) return `${step}: ${error.message}`;
  const stderr = (error as { stderr?: unknown }).stderr;
  const detail =
    typeof stderr === 'string' && stderr.trim()
      ? stderr.trim().split('\n').slice(-3).join(' ')
      : error instanceof Error
        ? error.message
        : String(error);
  return `${step} failed: ${detail}`;
}

/**
 * `npm run add-api <name>`: a new API from the template — a spec skeleton that lints clean, its
 * entry in redocly.yaml, and packages/<name> with a client, unit and contract tests, turbo and
 * tsconfig files — then its types are generated, so the next `npm test` covers it and passes.
 */
export async function scaffoldApi(registry: Registry, name: string, options: ScaffoldOptions = {}): Promise<ScaffoldResult> {
  const badName = apiNameProblem(name);
  if (badName) throw new ScaffoldError(badName);
  // The title lands in YAML, JSON and comments unescaped: plain words only.
  if (options.title !== undefined && !/^[\w .,()/-]+$/.test(options.title)) {
    throw new ScaffoldError(`--title ${JSON.stringify(options.title)}: letters, digits, spaces and . , ( ) / - only`);
  }
  if (registry.apis.some((api) => api.name === name)) throw new ScaffoldError(`redocly.yaml already lists an API "${name}"`);
  const specDir = `specs/${name}`;
  const packageDir = `packages/${name}`;
  for (const dir of [specDir, packageDir]) {
    if (existsSync(path.join(registry.rootDir, dir))) throw new ScaffoldError(`${dir} already exists; pick another name or remove it`);
  }

  const require = createRequire(path.join(registry.rootDir, 'package.json'));
  const openapiFetch = JSON.parse(await readFile(require.resolve('openapi-fetch/package.json'), 'utf8')) as { version: string };
  const values = {
    name,
    Name: pascal(name),
    ENV: name.toUpperCase().replace(/-/g, '_'),
    title: options.title ?? `${pascal(name)} API`,
    // A title such as 42, null or - would be a number, null or a list in YAML: always a string.
    titleYaml: JSON.stringify(options.title ?? `${pascal(name)} API`),
    specDir,
    openapiFetchVersion: openapiFetch.version,
  };
  const clash = await clashingIdentifiers(registry.rootDir, values);
  if (clash) {
    throw new ScaffoldError(
      `"${name}" would make the client declare ${clash}, which the template or @vmtasks/core already has; pick another name`,
    );
  }

  // Everything is checked above; a step that still fails (npm, say) takes back what was written.
  const undo = new Undo();
  let step = 'writing the scaffold';
  try {
    const files: string[] = [];
    const writeRendered = async (templateDir: string, targetDir: string): Promise<void> => {
      undo.created(path.join(registry.rootDir, targetDir));
      for (const file of await templateFiles(path.join(TEMPLATES, templateDir))) {
        const target = path.join(targetDir, file.replace(/\.tmpl$/, ''));
        await mkdir(path.dirname(path.join(registry.rootDir, target)), { recursive: true });
        await writeFile(
          path.join(registry.rootDir, target),
          render(await readFile(path.join(TEMPLATES, templateDir, file), 'utf8'), values),
        );
        files.push(target);
      }
    };
    await writeRendered('spec', specDir);
    await writeRendered('package', packageDir);

    step = 'adding it to redocly.yaml';
    await undo.changing(registry.configPath);
    const config = await readFile(registry.configPath, 'utf8');
    await writeFile(
      registry.configPath,
      addRegistryEntry(config, name, `${specDir}/openapi.yaml`, `${packageDir}/src/generated/openapi.ts`),
    );
    files.push(path.relative(registry.rootDir, registry.configPath));

    step = 'formatting the package';
    await formatLikeTheRepository(registry.rootDir, packageDir);

    step = 'generating its types';
    const updated = await loadRegistry(registry.configPath);
    const api = updated.apis.find((entry) => entry.name === name);
    if (!api) throw new Error(`redocly.yaml does not list "${name}" after adding it`);
    const generated = await generateApi(api, updated);
    files.push(generated.output);

    const install = options.install ?? 'full';
    if (install !== 'none') {
      step = 'npm install';
      await undo.changing(path.join(registry.rootDir, 'package-lock.json'));
      const link = path.join(registry.rootDir, 'node_modules/@vmtasks', name);
      if (!existsSync(link)) undo.created(link);
      const args = ['install', '--no-audit', '--no-fund', ...(install === 'lockfile' ? ['--package-lock-only'] : [])];
      await promisify(execFile)('npm', args, { cwd: registry.rootDir });
      files.push('package-lock.json');
    }
    return { files };
  } catch (error) {
    await undo.run();
    throw new ScaffoldError(`${failure(step, error)}\nNothing was left behind: the files written and redocly.yaml are as they were.`);
  }
}
