import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateApi, SpecError } from './generate.js';
import type { ApiEntry, Registry } from './registry.js';

export interface WatchEvents {
  onGenerated(api: string, output: string, changed: boolean, ms: number): void;
  onError(api: string, error: unknown): void;
}

export interface Watcher {
  close(): void;
}

// Editors save in bursts (write, rename, chmod); one regeneration per burst.
const SETTLE_MS = 15;

/**
 * Watches the folder of each API's spec and regenerates that API when a file in it changes.
 * The generator stays loaded between runs, so a regeneration costs only the work itself.
 * Errors are reported through `onError` and the watch goes on.
 */
export function watchApis(registry: Registry, apis: readonly ApiEntry[], events: WatchEvents): Watcher {
  const pending = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();

  const regenerate = (api: ApiEntry): void => {
    const previous = running.get(api.name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const started = performance.now();
      try {
        const result = await generateApi(api, registry);
        events.onGenerated(api.name, result.output, result.changed, performance.now() - started);
      } catch (error) {
        events.onError(api.name, error);
      }
    });
    running.set(api.name, next);
  };

  const schedule = (api: ApiEntry): void => {
    clearTimeout(pending.get(api.name));
    pending.set(
      api.name,
      setTimeout(() => {
        pending.delete(api.name);
        regenerate(api);
      }, SETTLE_MS),
    );
  };

  const watchers: FSWatcher[] = [];
  const byFolder = new Map<string, ApiEntry[]>();
  for (const api of apis) {
    const folder = path.dirname(api.root);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), api]);
  }
  for (const [folder, folderApis] of byFolder) {
    const watcher = watch(folder, { recursive: true }, (_event, file) => {
      if (file && !/\.(ya?ml|json)$/.test(file)) return;
      for (const api of folderApis) schedule(api);
    });
    watchers.push(watcher);
  }

  return {
    close() {
      for (const watcher of watchers) watcher.close();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}

export function describeError(error: unknown): string {
  if (error instanceof SpecError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
