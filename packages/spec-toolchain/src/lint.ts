import path from 'node:path';
import type { BaseResolver, Config, Document, NormalizedProblem } from '@redocly/openapi-core';
import { redoclyCore } from './deps.js';
import { formatProblem, unreadableFile, yamlMarkPlace, yamlProblem, type SpecProblem } from './problem.js';
import { isRecord, readConfigYaml, type ApiEntry, type Registry } from './registry.js';
import { parameterRuleProblems } from './rules.js';
import { GuardedResolver, SpecRefused } from './spec-guard.js';

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
  // Every file of the spec must be in the root's folder (see GuardedResolver): the API's folder.
  const resolver = new GuardedResolver(path.dirname(file), rootDir);
  const document = await resolver.resolveDocument(null, file, true).catch((error: unknown) => error as Error);
  if (document instanceof SpecRefused) throw new SpecError(name, [document.problem]);
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
  const found = await failureAsProblem(name, file, rootDir, () =>
    redoclyCore.lintDocument({ document, config: config.styleguide, externalRefResolver: resolver }),
  );
  const problems = [
    ...resolver.refusals,
    // A refused file is also an unresolved $ref to Redocly: said once, by the refusal.
    ...found
      .filter((problem) => !(problem.ruleId === 'no-unresolved-refs' && resolver.refused(problem.message)))
      .map((problem) => toSpecProblem(problem, rootDir)),
    ...parameterRuleProblems(document, rootDir),
  ];
  return { document, resolver, config, problems: unique(problems) };
}

/** Each problem once: Redocly reports one bad example once per rule path that reaches it. */
function unique(problems: readonly SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = formatProblem(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Runs a step of Redocly or the generator on a linted spec: a failure nothing located (a `$ref`
 * loop across files, say) becomes a SpecError at the spec's start, without a stack.
 */
export async function failureAsProblem<T>(name: string, file: string, rootDir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof SpecError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SpecError(name, [
      {
        file: path.relative(rootDir, file),
        line: 1,
        column: 1,
        rule: 'unprocessable-spec',
        message: `the toolchain could not process this spec: ${message.split('\n')[0]}`,
        severity: 'error',
      },
    ]);
  }
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
  const bundled = await failureAsProblem(api.name, api.root, registry.rootDir, () =>
    redoclyCore.bundle({ doc: linted.document, config: linted.config, externalRefResolver: linted.resolver, dereference: false }),
  );
  const fileDependencies = [...bundled.fileDependencies];
  return { linted, parsed: bundled.bundle.parsed, fileDependencies };
}
