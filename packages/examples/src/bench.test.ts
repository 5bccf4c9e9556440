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
// `npm run bench` is `turbo run build && <BENCH>`: the test runs BENCH only. turbo has built every
// package before this suite starts (they are this package's dependencies), and a second build
// here — forced, under CI's TURBO_FORCE — rewrote the dist/ folders the other suites were running
// from at that moment (the CLI's end-to-end tests failed on a missing dist/cli.js under load).
const BENCH = 'node --expose-gc --import tsx scripts/bench.ts';

it('the bench script, --quick, prints and records every row, in a temporary file, as a smoke run', { timeout: 600_000 }, async () => {
  const scripts = (JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(scripts['bench']).toMatch(new RegExp(`&& ${BENCH}$`));
  const committed = await readFile(path.join(repo, 'bench/results.json'), 'utf8');
  const [command = 'node', ...args] = BENCH.split(' ');
  const { TURBO_FORCE: _force, ...env } = process.env;
  const { stdout } = await promisify(execFile)(command === 'node' ? process.execPath : command, [...args, '--quick'], {
    cwd: repo,
    env,
    maxBuffer: 16 * 2 ** 20,
  });
  const out = /^results written to (.+)$/m.exec(stdout)?.[1] ?? '';
  try {
    expect(path.dirname(out)).toBe(os.tmpdir());
    expect(await readFile(path.join(repo, 'bench/results.json'), 'utf8'), 'a quick run must leave the committed results alone').toBe(
      committed,
    );
    const results = JSON.parse(await readFile(out, 'utf8')) as {
      quick: boolean;
      machine: { cpuModel: unknown; cpus: unknown; node: unknown; loadAverageBefore: unknown; loadAverageAfter: unknown };
      rows: { id: string; median: number; samples: number[] }[];
    };
    expect(results.quick).toBe(true);
    // What the figures were measured on, the load before and after included.
    expect(results.machine).toMatchObject({
      cpuModel: expect.any(String),
      cpus: expect.any(Number),
      node: process.version,
      loadAverageBefore: [expect.any(Number), expect.any(Number), expect.any(Number)],
      loadAverageAfter: [expect.any(Number), expect.any(Number), expect.any(Number)],
    });
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
      'client-heap-retained',
      'client-heap-planted-leak',
      'mock-first-velostrata',
      'mock-first-snapservice',
      'mock-rps',
      'contract-suite',
      'scale-ours-time',
      'scale-ours-memory',
      'scale-plain-time',
      'scale-plain-memory',
      'simulator-rps',
      'simulator-reference-rps',
      'simulator-ratio',
      'watch-diff',
      'watch-parse',
      'watch-diff-ratio',
      'watch-memory',
      'cli-first-output-tasks',
      'cli-first-output-watch',
      'cli-first-output-version',
      'serve-rss',
      'serve-heap',
      'serve-metrics',
      'serve-cpu',
      'shared-wait-requests-1000',
      'shared-wait-bytes-1000',
      'shared-wait-cpu-1000',
      'shared-wait-heap-1000',
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
