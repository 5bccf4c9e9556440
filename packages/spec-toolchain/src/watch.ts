import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { watch as chokidarWatch } from 'chokidar';
import { generateApi, SpecError, type GenerateResult } from './generate.js';
import { redoclyCore } from './deps.js';
import { forgetLintConfig, loadLintConfig } from './lint.js';
import { apiFolder, inApiFolder, loadRegistry, RegistryError, type ApiEntry, type Registry } from './registry.js';

/** What made an API regenerate: a file of its spec, or its entry or rules in redocly.yaml. */
export type GenerationCause = 'spec' | 'redocly.yaml';

export interface WatchEvents {
  /** Watching has started (or the registry changed): the spec files now watched. */
  onReady?(specs: readonly string[]): void;
  onGenerated(api: string, result: GenerateResult, ms: number, cause: GenerationCause): void;
  onError(api: string, error: unknown): void;
  /** redocly.yaml changed; `added` are APIs it did not list before, `changed` those it now says other things of (added included). */
  onRegistryChanged?(added: readonly string[], changed: readonly string[]): void;
}

export interface Watcher {
  /** Resolves once the file watcher has scanned the spec folders. */
  ready: Promise<void>;
  close(): Promise<void>;
}

// Editors save in bursts (write a temporary file, rename it, chmod); one regeneration per burst.
const SETTLE_MS = 15;
// chokidar drops a second change of a path within 50 ms of the first (no trailing event), so a
// quick second save could go unseen: this long after the last event the spec files are compared
// with what was last generated from them, and a difference regenerates.
const RECHECK_MS = 80;

/** What a spec's files look like on disk: a change of any, a rename-save included, changes it. */
async function fingerprint(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (info) => `${info.ino}:${info.size}:${info.mtimeMs}`,
        () => 'missing',
      ),
    ),
  );
  return parts.join('|');
}

/**
 * Watches redocly.yaml and the folder of each API's spec; a change regenerates that API (lint
 * included), a change of redocly.yaml re-reads the registry (new APIs are generated and watched)
 * and regenerates every API, since its rules may have changed. The generator stays loaded between
 * runs, so a regeneration costs only the work itself. Errors go to `onError`; the previous output
 * stays and the watch goes on.
 *
 * chokidar, not `fs.watch`: Node 20's recursive `fs.watch` loses a file after a rename-save;
 * chokidar re-attaches to the path (its `atomic` handling turns a delete + re-create into a change).
 */
export function watchApis(initial: Registry, names: readonly string[], events: WatchEvents): Watcher {
  let registry = initial;
  let apis = select(registry, names);
  const pending = new Map<string, NodeJS.Timeout>();
  let running: Promise<void> = Promise.resolve();
  /** Per API: the files its last generation read, and their fingerprint then. */
  const generatedFrom = new Map<string, { files: string[]; fingerprint: string }>();

  // One regeneration at a time: they share the loaded lint configuration.
  const regenerate = (name: string, cause: GenerationCause = 'spec'): void => {
    running = running.then(async () => {
      const api = apis.find((entry) => entry.name === name);
      if (!api) return;
      const last = generatedFrom.get(name);
      const files = last?.files ?? [api.root];
      const before = await fingerprint(files);
      // An editor's save comes as several events (a rename-save: add, change, unlink): once the
      // files are as the last run read them, the rest have nothing to tell.
      if (cause === 'spec' && before === last?.fingerprint) return;
      const started = performance.now();
      let read = files;
      try {
        const result = await generateApi(api, registry);
        read = [...new Set(result.files)];
        events.onGenerated(api.name, result, performance.now() - started, cause);
      } catch (error) {
        events.onError(api.name, error);
      }
      // Saved again while generating: that save's event may have been dropped.
      if ((await fingerprint(files)) !== before) {
        regenerate(name);
        return;
      }
      // What this run read, as it was then (a file it found new is taken as it is now).
      const same = read.length === files.length && read.every((file, index) => file === files[index]);
      generatedFrom.set(name, { files: read, fingerprint: same ? before : await fingerprint(read) });
    });
  };

  const recheck = (name: string): void => {
    running = running.then(async () => {
      const last = generatedFrom.get(name);
      if (last && (await fingerprint(last.files)) !== last.fingerprint) regenerate(name);
    });
  };

  const schedule = (key: string, action: () => void, delayMs = SETTLE_MS): void => {
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        action();
      }, delayMs),
    );
  };

  const folders = (): string[] => [...new Set(apis.map(apiFolder))];
  const watcher = chokidarWatch([registry.configPath, ...folders()], { ignoreInitial: true, atomic: true });

  let registryFingerprint = '';
  // What redocly.yaml says of each API (see configKey), as of the last good read: an edit
  // regenerates only the APIs it changes.
  let configKeys = new Map<string, string>();
  const readConfigKeys = async (): Promise<Map<string, string>> =>
    new Map(await Promise.all(apis.map(async (api) => [api.name, await configKey(registry, api)] as const)));
  running = running.then(async () => {
    configKeys = await readConfigKeys().catch(() => new Map());
  });
  const reloadRegistry = (): void => {
    running = running.then(async () => {
      let changed: string[];
      try {
        registryFingerprint = await fingerprint([registry.configPath]);
        forgetLintConfig(registry.configPath);
        const next = await loadRegistry(registry.configPath);
        const known = new Set(apis.map((api) => api.name));
        registry = next;
        apis = select(next, names);
        watcher.add(folders());
        const keys = await readConfigKeys();
        changed = apis.filter((api) => keys.get(api.name) !== configKeys.get(api.name)).map((api) => api.name);
        configKeys = keys;
        const added = apis.filter((api) => !known.has(api.name)).map((api) => api.name);
        events.onRegistryChanged?.(added, changed);
        events.onReady?.(apis.map((api) => path.relative(registry.rootDir, api.root)));
      } catch (error) {
        events.onError(path.basename(registry.configPath), error);
        return;
      }
      for (const name of changed) regenerate(name, 'redocly.yaml');
    });
  };
  const recheckRegistry = (): void => {
    running = running.then(async () => {
      if ((await fingerprint([registry.configPath])) !== registryFingerprint) reloadRegistry();
    });
  };

  const onFile = (file: string): void => {
    if (path.resolve(file) === registry.configPath) {
      schedule('//registry', reloadRegistry);
      schedule('//registry-recheck', recheckRegistry, RECHECK_MS);
      return;
    }
    if (!/\.(ya?ml|json)$/.test(file)) return;
    for (const api of apis) {
      if (!inApiFolder(api, file)) continue;
      schedule(api.name, () => regenerate(api.name));
      schedule(`${api.name}//recheck`, () => recheck(api.name), RECHECK_MS);
    }
  };
  watcher.on('add', onFile).on('change', onFile).on('unlink', onFile);
  watcher.on('error', (error) => events.onError('watcher', error));

  const ready = new Promise<void>((resolve) =>
    watcher.once('ready', () => {
      events.onReady?.(apis.map((api) => path.relative(registry.rootDir, api.root)));
      resolve();
    }),
  );

  return {
    ready,
    async close() {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      await watcher.close();
      await running;
    },
  };
}

/**
 * What redocly.yaml says of an API: its entry and the lint configuration it gets (rules,
 * preprocessors, decorators, plugins), as JSON. An API whose key is unchanged needs no new run.
 */
async function configKey(registry: Registry, api: ApiEntry): Promise<string> {
  const { rules, preprocessors, decorators, plugins } = redoclyCore.getMergedConfig(
    await loadLintConfig(registry.configPath),
    api.name,
  ).styleguide;
  return JSON.stringify({
    root: api.root,
    output: api.output,
    rules,
    preprocessors,
    decorators,
    plugins: plugins.map((plugin) => plugin.id),
  });
}

/** The APIs named (all when none), skipping names the registry no longer lists. */
function select(registry: Registry, names: readonly string[]): ApiEntry[] {
  return names.length === 0 ? registry.apis : registry.apis.filter((api) => names.includes(api.name));
}

export function describeError(error: unknown): string {
  // The user's to fix, already saying where: no class name in front.
  if (error instanceof SpecError || error instanceof RegistryError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
