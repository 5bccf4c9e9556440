export { findConfig, loadRegistry, selectApis, RegistryError, type ApiEntry, type Registry } from './registry.ts';
export { generateApi, renderTypes, validateSpec, writeIfChanged, SpecError, type SpecProblem } from './generate.ts';
export { findStaleOutputs, type StaleFile } from './check.ts';
export { watchApis, type Watcher, type WatchEvents } from './watch.ts';
