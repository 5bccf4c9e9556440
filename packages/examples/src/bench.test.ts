// Keeps `npm run bench` working: a quick run must produce every row. Figures are not checked
// here (benchmarks are not timed tests); `npm run bench` on a quiet machine is where they count.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');

// Every benchmark, small: about a minute alone, several on a loaded machine beside the other suites.
it('npm run bench -- --quick prints and records every row, in a temporary file, as a smoke run', { timeout: 600_000 }, async () => {
  const committed = await readFile(path.join(repo, 'bench/results.json'), 'utf8');
  const { stdout } = await promisify(execFile)('npm', ['run', 'bench', '--', '--quick'], { cwd: repo, maxBuffer: 16 * 2 ** 20 });
  const out = /^results written to (.+)$/m.exec(stdout)?.[1] ?? '';
  try {
    expect(path.dirname(out)).toBe(os.tmpdir());
    expect(await readFile(path.join(repo, 'bench/results.json'), 'utf8'), 'a quick run must leave the committed results alone').toBe(
      committed,
    );
    const results = JSON.parse(await readFile(out, 'utf8')) as {
      quick: boolean;
      rows: { id: string; median: number; samples: number[] }[];
    };
    expect(results.quick).toBe(true);
    const ids = results.rows.map((r) => r.id);
    for (const id of [
      'regenerate-velostrata',
      'regenerate-snapservice',
      'generate-cold',
      'generate-bare-cli',
      'generate-cold-ratio',
      'generate-noop',
      'client-raw',
      'client-undici',
      'client-bare',
      'client-ours',
      'client-undici-ratio',
      'client-ours-ratio',
      'client-heap-growth',
      'mock-first-velostrata',
      'mock-first-snapservice',
      'mock-rps',
      'contract-suite',
      'scale-ours-time',
      'scale-ours-memory',
      'scale-plain-time',
      'scale-plain-memory',
      'watch-diff',
      'watch-parse',
      'watch-diff-ratio',
      'watch-memory',
      'cli-first-output-tasks',
      'cli-first-output-watch',
      'cli-first-output-version',
    ])
      expect(ids).toContain(id);
    for (const r of results.rows) expect(r.samples.every(Number.isFinite), r.id).toBe(true);
    expect(stdout).toMatch(/\| row +\| median/);
    // Quick figures are not measurements: labelled smoke, never reported as missed targets.
    expect(stdout).toMatch(/\| smoke +\|/);
    expect(stdout).not.toMatch(/MISSED|targets missed/);
  } finally {
    if (out) await rm(out, { force: true });
  }
});
