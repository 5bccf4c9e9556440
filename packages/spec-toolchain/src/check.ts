import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateApi } from './generate.js';
import type { ApiEntry, Registry } from './registry.js';

export interface StaleFile {
  api: string;
  /** The committed file, relative to the repository root. */
  file: string;
  /** First line (1-based) where the committed file and a fresh generation differ; 0 if it is missing. */
  line: number;
}

function firstDifferentLine(committed: string, fresh: string): number {
  const a = committed.split('\n');
  const b = fresh.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i + 1;
  return 0;
}

/**
 * Regenerates every API into a temporary folder and compares it with the committed output.
 * Nothing in the work tree is written.
 */
export async function findStaleOutputs(registry: Registry, apis: readonly ApiEntry[]): Promise<StaleFile[]> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-check-'));
  try {
    const stale: StaleFile[] = [];
    for (const api of apis) {
      const freshFile = path.join(scratch, `${api.name}.ts`);
      await generateApi(api, registry, freshFile);
      const fresh = await readFile(freshFile, 'utf8');
      const committed = await readFile(api.output, 'utf8').catch(() => undefined);
      if (committed !== fresh) {
        stale.push({
          api: api.name,
          file: path.relative(registry.rootDir, api.output),
          line: committed === undefined ? 0 : firstDifferentLine(committed, fresh),
        });
      }
    }
    return stale;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
