import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findConfig, loadRegistry, type ApiEntry, type Registry } from '../registry.js';
import { compareAuth } from './auth.js';
import type { Change } from './change.js';
import { pendingBumps, satisfies, type Bump } from './changesets.js';
import { compareGeneratedTypes } from './compare-types.js';
import { compareParameterRules } from './parameter-rules.js';
import { extractTree, resolveBase, showFile, type Base } from './git.js';
import { snapshotApi } from './spec.js';

/** What happened to one API since its base, and whether the pending changesets cover it. */
export interface ApiVerdict {
  api: string;
  packageName: string;
  base: Base | undefined;
  status: 'unchanged' | 'changed' | 'breaking' | 'added' | 'removed';
  changes: Change[];
  /** The bump the change needs: `major` when it breaks clients, at least `patch` otherwise. */
  required: Bump | undefined;
  /** The largest bump the pending changesets give the package. */
  pending: Bump | undefined;
  /** False for a `private` package: never released, so no change of it needs a changeset. */
  published: boolean;
  ok: boolean;
}

export interface GateOptions {
  /** Any folder of the repository (redocly.yaml is found from here). */
  cwd?: string;
  /** Compare with this ref instead of choosing the base per package. */
  base?: string;
}

interface PackageInfo {
  name: string;
  published: boolean;
}

/** The package an API's types are generated into (the nearest package.json above the output). */
async function packageOf(output: string, rootDir: string, readAt: (file: string) => Promise<string | undefined>): Promise<PackageInfo> {
  let dir = path.dirname(output);
  while (dir.startsWith(rootDir) && dir !== rootDir) {
    const text = await readAt(path.relative(rootDir, path.join(dir, 'package.json')));
    if (text) {
      const json = JSON.parse(text) as { name: string; private?: boolean };
      return { name: json.name, published: json.private !== true };
    }
    dir = path.dirname(dir);
  }
  throw new Error(`no package.json above ${path.relative(rootDir, output)}`);
}

function sameApiIn(registry: Registry, api: ApiEntry): ApiEntry | undefined {
  return registry.apis.find((entry) => entry.name === api.name);
}

/**
 * Compares every API of redocly.yaml (and every API the base had) with its base: the compiler
 * judges the generated types, the security requirements are compared scheme by scheme. A
 * breaking change needs a pending `major` changeset for the API's package, any other change at
 * least a `patch` one.
 */
export async function checkBreaking(options: GateOptions = {}): Promise<ApiVerdict[]> {
  const registry = await loadRegistry(findConfig(options.cwd));
  const root = registry.rootDir;
  const bumps = existsSync(path.join(root, '.changeset')) ? await pendingBumps(root) : new Map<string, Bump>();
  const trees = new Map<string, Promise<{ dir: string; registry: Registry | undefined; remove(): Promise<void> }>>();
  const treeAt = (sha: string) => {
    let tree = trees.get(sha);
    if (!tree) {
      tree = extractTree(root, sha).then(async ({ dir, remove }) => {
        const config = path.join(dir, 'redocly.yaml');
        return { dir, remove, registry: existsSync(config) ? await loadRegistry(config) : undefined };
      });
      trees.set(sha, tree);
    }
    return tree;
  };

  try {
    const verdicts: ApiVerdict[] = [];
    const names = new Set(registry.apis.map((api) => api.name));
    const current = async (file: string) => readFile(path.join(root, file), 'utf8').catch(() => undefined);
    for (const api of registry.apis) {
      const pkg = await packageOf(api.output, root, current);
      const base = await resolveBase(root, pkg.name, options.base);
      let changes: Change[] = [];
      let status: ApiVerdict['status'] = 'unchanged';
      if (base) {
        const tree = await treeAt(base.sha);
        const previousRegistry = tree.registry;
        const previousApi = previousRegistry && sameApiIn(previousRegistry, api);
        if (!previousRegistry || !previousApi) status = 'added';
        else {
          const [before, after] = await Promise.all([snapshotApi(previousApi, previousRegistry), snapshotApi(api, registry)]);
          if (before.types !== after.types || JSON.stringify(before.document) !== JSON.stringify(after.document)) {
            changes = [
              ...(await compareGeneratedTypes(before.types, after.types)),
              ...compareAuth(before.document, after.document),
              ...compareParameterRules(before.document, after.document),
            ];
            status = changes.some((change) => change.breaking) ? 'breaking' : 'changed';
            if (changes.length === 0)
              changes.push({ breaking: false, where: api.name, why: 'spec changed; code written against the base still compiles' });
          }
        }
      }
      verdicts.push(verdict(api.name, pkg, base, status, changes, bumps.get(pkg.name)));
    }
    // APIs the base had and the working tree no longer lists: every call to them breaks. Their
    // package may be gone too, so the base is the one of the repository (any release tag).
    const mainBase = await resolveBase(root, '*', options.base);
    if (mainBase) {
      const tree = await treeAt(mainBase.sha);
      for (const api of tree.registry?.apis ?? []) {
        if (names.has(api.name)) continue;
        const pkg = await packageOf(api.output, tree.dir, (file) => showFile(root, mainBase.sha, file));
        const changes = [{ breaking: true, where: api.name, why: 'API removed from redocly.yaml: every call to it breaks' }];
        verdicts.push(verdict(api.name, pkg, mainBase, 'removed', changes, bumps.get(pkg.name)));
      }
    }
    return verdicts;
  } finally {
    await Promise.all([...trees.values()].map(async (tree) => (await tree).remove()));
  }
}

function verdict(
  api: string,
  pkg: PackageInfo,
  base: Base | undefined,
  status: ApiVerdict['status'],
  changes: Change[],
  pending: Bump | undefined,
): ApiVerdict {
  const required: Bump | undefined = status === 'breaking' || status === 'removed' ? 'major' : status === 'unchanged' ? undefined : 'patch';
  const ok = !pkg.published || !required || satisfies(pending, required);
  return { api, packageName: pkg.name, base, status, changes, required, pending, published: pkg.published, ok };
}

/** The gate passes when every API's change is covered by a pending changeset. */
export function gatePassed(verdicts: readonly ApiVerdict[]): boolean {
  return verdicts.every((verdict) => verdict.ok);
}
