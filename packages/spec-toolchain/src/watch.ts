import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { watch as chokidarWatch } from 'chokidar';
import { generateApi, SpecError, type GenerateResult } from './generate.js';
import { forgetLintConfig } from './lint.js';
import { apiFolder, inApiFolder, loadRegistry, RegistryError, type ApiEntry, type Registry } from './registry.js';

export interface WatchEvents {
  /** Watching has started (or the registry changed): the spec files now watched. */
  onReady?(specs: readonly string[]): void;
  onGenerated(api: string, result: GenerateResult, ms: number): void;
  onError(api: string, error: unknown): void;
  /** redocly.yaml changed; `added` are APIs it did not list before. */
  onRegistryChanged?(added: readonly string[]): void;
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
  const regenerate = (name: string): void => {
    running = running.then(async () => {
      const api = apis.find((entry) => entry.name === name);
      if (!api) return;
      const files = generatedFrom.get(name)?.files ?? [api.root];
      const before = await fingerprint(files);
      const started = performance.now();
      try {
        const result = await generateApi(api, registry);
        generatedFrom.set(name, { files: result.files, fingerprint: before });
        events.onGenerated(api.name, result, performance.now() - started);
      } catch (error) {
        generatedFrom.set(name, { files, fingerprint: before });
        events.onError(api.name, error);
      }
      // Saved again while generating: that save's event may have been dropped.
      if ((await fingerprint(files)) !== before) regenerate(name);
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
  const reloadRegistry = (): void => {
    running = running.then(async () => {
      try {
        registryFingerprint = await fingerprint([registry.configPath]);
        forgetLintConfig(registry.configPath);
        const next = await loadRegistry(registry.configPath);
        const known = new Set(apis.map((api) => api.name));
        registry = next;
        apis = select(next, names);
        watcher.add(folders());
        const added = apis.filter((api) => !known.has(api.name)).map((api) => api.name);
        events.onRegistryChanged?.(added);
        events.onReady?.(apis.map((api) => path.relative(registry.rootDir, api.root)));
      } catch (error) {
        events.onError(path.basename(registry.configPath), error);
        return;
      }
      for (const api of apis) regenerate(api.name);
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

/** The APIs named (all when none), skipping names the registry no longer lists. */
function select(registry: Registry, names: readonly string[]): ApiEntry[] {
  return names.length === 0 ? registry.apis : registry.apis.filter((api) => names.includes(api.name));
}

export function describeError(error: unknown): string {
  // The user's to fix, already saying where: no class name in front.
  if (error instanceof SpecError || error instanceof RegistryError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
