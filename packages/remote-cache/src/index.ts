export { startRemoteCache, type RemoteCacheServer } from './server.js';
export { freshClone, snapshot } from './clone.js';
export { dryRun, pipelineRun, remoteCacheEnv, turbo, withDependents, type RunSummary, type TaskState } from './turbo.js';
