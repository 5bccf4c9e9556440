import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BaseResolver, Config, Document, NormalizedProblem } from '@redocly/openapi-core';
import { redoclyCore } from './deps.js';
import { formatProblem, unreadableFile, yamlMarkPlace, yamlProblem, type SpecProblem } from './problem.js';
import { apiFolder, inApiFolder, isRecord, readConfigYaml, type ApiEntry, type Registry } from './registry.js';

/** A spec that cannot be turned into types; `message` lists every error as `file:line:col rule message`. */
export class SpecError extends Error {
  override name = 'SpecError';
  constructor(
    readonly api: string,
    readonly problems: readonly SpecProblem[],
  ) {
    super(`API "${api}": the spec has ${problems.length} problem(s):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
}

// The configuration of redocly.yaml, loaded once per process (watch mode drops it when the file changes).
const configs = new Map<string, Promise<Config>>();

/** The lint configuration of redocly.yaml (its `extends`, `rules`, per-API overrides), as Redocly CLI reads it. */
export function loadLintConfig(configPath: string): Promise<Config> {
  let config = configs.get(configPath);
  if (!config) {
    config = readLintConfig(configPath);
    configs.set(configPath, config);
    config.catch(() => configs.delete(configPath));
  }
  return config;
}

// Redocly's loadConfig first walks the file against its config types to resolve `$ref`s (and
// compiles a JSON Schema meta-schema on the way: 30 ms of each generator process), then hands the
// result to createConfig. Without a `$ref` that walk changes nothing, so the file goes to
// createConfig directly; test/lint.test.ts checks both give the same rules.
async function readLintConfig(configPath: string): Promise<Config> {
  const raw = await readConfigYaml(configPath);
  if (!isRecord(raw) || containsRef(raw)) return redoclyCore.loadConfig({ configPath });
  return redoclyCore.createConfig(raw, { configPath });
}

function containsRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsRef);
  if (!isRecord(value)) return false;
  return Object.entries(value).some(([key, item]) => key === '$ref' || containsRef(item));
}

/** Forgets the loaded redocly.yaml, so the next lint reads it again. */
export function forgetLintConfig(configPath: string): void {
  configs.delete(configPath);
}

function toSpecProblem(problem: NormalizedProblem, rootDir: string): SpecProblem {
  const severity = problem.severity === 'error' ? 'error' : 'warn';
  const location = problem.location[0];
  if (!location) return { file: '?', line: 0, column: 0, rule: problem.ruleId, message: problem.message, severity };
  const { start } = redoclyCore.getLineColLocation(location);
  return {
    file: path.relative(rootDir, location.source.absoluteRef),
    line: start.line,
    column: start.col,
    rule: problem.ruleId,
    message: problem.message,
    severity,
  };
}

/** A spec parsed once, linted with every rule of redocly.yaml; generation reuses the parse. */
export interface LintedSpec {
  document: Document;
  resolver: BaseResolver;
  config: Config;
  /** Errors and warnings, in the order Redocly reports them. */
  problems: SpecProblem[];
}

/** Parses `file` and lints it with `config` (already merged for its API); unreadable YAML is a SpecError. */
export async function lintFile(name: string, file: string, config: Config, rootDir: string): Promise<LintedSpec> {
  const resolver = new redoclyCore.BaseResolver(config.resolve);
  const document = await resolver.resolveDocument(null, file, true).catch((error: unknown) => error as Error);
  if (document instanceof redoclyCore.YamlParseError) {
    throw new SpecError(name, [yamlProblem(document, yamlMarkPlace(document.originalError), file, rootDir)]);
  }
  if (document instanceof Error) {
    const cause = document instanceof redoclyCore.ResolveError ? document.originalError : document;
    throw new SpecError(name, [{ file: path.relative(rootDir, file), line: 1, column: 1, ...unreadableFile(cause), severity: 'error' }]);
  }
  if (!isRecord(document.parsed)) {
    // An empty file, or one caught mid-write (watch mode rechecks once the write is over).
    throw new SpecError(name, [
      {
        file: path.relative(rootDir, file),
        line: 1,
        column: 1,
        rule: 'not-a-document',
        message: 'the file is empty or not a YAML/JSON object',
        severity: 'error',
      },
    ]);
  }
  const problems = await redoclyCore.lintDocument({ document, config: config.styleguide, externalRefResolver: resolver });
  return { document, resolver, config, problems: problems.map((problem) => toSpecProblem(problem, rootDir)) };
}

/** Lints an API of the registry with the rules redocly.yaml gives it (including `apis.<name>` overrides). */
export async function lintApi(api: ApiEntry, registry: Registry): Promise<LintedSpec> {
  const config = redoclyCore.getMergedConfig(await loadLintConfig(registry.configPath), api.name);
  return lintFile(api.name, api.root, config, registry.rootDir);
}

/** Throws a SpecError listing every error-level problem; warnings pass. */
export function assertNoErrors(api: string, linted: LintedSpec): void {
  const errors = linted.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new SpecError(api, errors);
}

/** An API linted clean (warnings allowed) and bundled into one document, `$ref`s kept. */
export interface BundledSpec {
  linted: LintedSpec;
  /** The bundled document. */
  parsed: unknown;
  /** Every file other than the root that the spec is made of. */
  fileDependencies: string[];
}

/** Lints an API (throwing a SpecError on any error) and bundles the linted document, parsed once. */
export async function lintAndBundle(api: ApiEntry, registry: Registry): Promise<BundledSpec> {
  const linted = await lintApi(api, registry);
  assertNoErrors(api.name, linted);
  const bundled = await redoclyCore.bundle({
    doc: linted.document,
    config: linted.config,
    externalRefResolver: linted.resolver,
    dereference: false,
  });
  const fileDependencies = [...bundled.fileDependencies];
  const outside = fileDependencies.filter((file) => !inApiFolder(api, file));
  if (outside.length > 0) {
    throw new SpecError(api.name, await Promise.all(outside.map((file) => outsideProblem(api, file, fileDependencies, registry.rootDir))));
  }
  return { linted, parsed: bundled.bundle.parsed, fileDependencies };
}

/**
 * A spec that reads a file outside its own folder: turbo hashes only `specs/<api>/**` for an API's
 * tasks (its per-API cache, check:generated included) and `npm run dev` watches only that folder,
 * so an edit there would leave stale types that nothing reports. Located at the `$ref` naming
 * the file when one of the API's files has it, else at the root spec.
 */
async function outsideProblem(api: ApiEntry, file: string, files: readonly string[], rootDir: string): Promise<SpecProblem> {
  let place = { file: api.root, line: 1, column: 1 };
  for (const candidate of [api.root, ...files.filter((each) => inApiFolder(api, each))]) {
    const lines = (await readFile(candidate, 'utf8').catch(() => '')).split('\n');
    const line = lines.findIndex((text) => {
      const target = /\$ref['"]?\s*:\s*['"]?([^'"#\s,}]+)/.exec(text)?.[1];
      return target !== undefined && path.resolve(path.dirname(candidate), target) === path.resolve(file);
    });
    if (line >= 0) {
      place = { file: candidate, line: line + 1, column: (lines[line] ?? '').indexOf('$ref') + 1 };
      break;
    }
  }
  return {
    file: path.relative(rootDir, place.file),
    line: place.line,
    column: place.column,
    rule: 'ref-outside-api-folder',
    message: `${path.relative(rootDir, file)} is outside ${path.relative(rootDir, apiFolder(api))}/, which is all that turbo's cache and npm run dev look at for this API (its types could go stale unseen); move the file into the folder`,
    severity: 'error',
  };
}
