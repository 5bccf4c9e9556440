export { findConfig, loadRegistry, selectApis, RegistryError, type ApiEntry, type Registry } from './registry.js';
export { generateApi, renderSpec, renderTypes, validateSpec, writeIfChanged, SpecError, type SpecProblem } from './generate.js';
export { lintApi, lintFile, loadLintConfig, formatProblem, type LintedSpec } from './lint.js';
export { buildDocs, type DocsPage } from './docs.js';
export { findStaleOutputs, type StaleFile } from './check.js';
export { watchApis, type Watcher, type WatchEvents } from './watch.js';
export { loadSpecSchemas, type SpecSchemas, type SchemaCheck } from './schema.js';
export { copyWorkspace, packageOf, codegen, run, repo, startWatch, type RunResult, type WatchProcess } from './scratch.js';
export { documentedResponses, type DocumentedResponse } from './responses.js';
