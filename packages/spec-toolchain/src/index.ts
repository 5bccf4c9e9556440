export { findConfig, loadRegistry, selectApis, RegistryError, type ApiEntry, type Registry } from './registry.js';
export { generateApi, renderTypes, validateSpec, writeIfChanged, SpecError, type SpecProblem } from './generate.js';
export { findStaleOutputs, type StaleFile } from './check.js';
export { watchApis, type Watcher, type WatchEvents } from './watch.js';
export { loadSpecSchemas, type SpecSchemas, type SchemaCheck } from './schema.js';
export { copyWorkspace, codegen, run, repo, startWatch, type RunResult, type WatchProcess } from './scratch.js';
export { documentedResponses, type DocumentedResponse } from './responses.js';
export { parameterRules, renderParameterRules, REQUIRE_ANY_OF, type ParameterRule } from './rules.js';
