// Keeps `npm run bench` working: a quick run must produce every row. Figures are not checked
// here (benchmarks are not timed tests); `npm run bench` on a quiet machine is where they count.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');

it('npm run bench -- --quick prints and records every row', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-bench-'));
  try {
    const out = path.join(dir, 'results.json');
    const { stdout } = await promisify(execFile)('npm', ['run', 'bench', '--', '--quick', '--out', out], { cwd: repo, maxBuffer: 16 * 2 ** 20 });
    const results = JSON.parse(await readFile(out, 'utf8')) as { rows: { id: string; median: number; samples: number[] }[] };
    const ids = results.rows.map((r) => r.id);
    for (const id of [
      'regenerate-velostrata', 'regenerate-snapservice', 'generate-cold', 'generate-bare-cli', 'generate-cold-ratio', 'generate-noop',
      'client-raw', 'client-undici', 'client-bare', 'client-ours', 'client-undici-ratio', 'client-ours-ratio', 'client-heap-growth',
      'mock-first-velostrata', 'mock-first-snapservice', 'mock-rps', 'contract-suite',
      'scale-ours-time', 'scale-ours-memory', 'scale-plain-time', 'scale-plain-memory',
      'watch-diff', 'watch-parse', 'watch-diff-ratio', 'watch-memory',
      'cli-first-output-tasks', 'cli-first-output-watch', 'cli-first-output-version',
    ]) expect(ids).toContain(id);
    for (const r of results.rows) expect(r.samples.every(Number.isFinite), r.id).toBe(true);
    expect(stdout).toMatch(/\| row +\| median/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
