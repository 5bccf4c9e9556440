export { exposedForms } from './exposure.js';
export { findCommand, requireCommand } from './commands.js';
export {
  startTestServer,
  sendJson,
  sendEndless,
  closedPort,
  selfSignedCertificate,
  type TestServer,
  type RecordedRequest,
  type Handler,
} from './http-server.js';
export {
  startPrism,
  preloadPrism,
  DEFAULT_SEED,
  type PrismServer,
  type PrismOptions,
  type PrismLogLine,
  type ServedResponse,
} from './prism.js';
export { ContractCoverage } from './coverage.js';
export { loadSpecSchemas, documentedResponses, type DocumentedResponse, type SpecSchemas, type SchemaCheck } from '@vmtasks/spec-toolchain';
export { startContractTarget, specOf, violationsIn, prefer, type ContractTarget } from './contract.js';
export { seedExamples, loadYamlDocument, PlaceholderFiller, type SeedExample } from './seeds.js';
export { officialDir, seedsDir, vendorFacts, describeWithVendorFiles, type VendorFolder } from './vendor-files.js';
export { loadVendorFacts, type VendorFacts, type VendorOperation } from './vendor-facts.js';
export { differencesFromVendor, specOperations, type Comparison, type SpecOperation, type SpecResponse } from './spec-operations.js';
export { schemaAt, jsonPaths, alternatives, resolveSchema, isSchema, type Schema } from './schema-walk.js';
export { ManualClock } from './manual-clock.js';
export { TransitionRecorder, caught } from './transitions.js';
export { followWave, type FollowWaveOptions } from './wave.js';
