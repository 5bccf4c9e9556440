// `vmtasks watch --json --state FILE`: resumed across runs against the simulator (in-process,
// stopped as Ctrl-C stops it), and the state file's own rules: atomic writes, one clear line
// for a file it cannot use.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeIO, runMain } from '../test/fake-io.js';
import { UsageError } from './exit-codes.js';
import { main } from './main.js';
import { readWatchState, writeWatchState, type WatchState } from './watch-state.js';

let sim: Simulator;
let folder: string;
beforeEach(async () => {
  sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
  folder = mkdtempSync(join(tmpdir(), 'vmtasks-state-'));
});
afterEach(() => sim.stop());

const stateIn = (file: string): WatchState | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WatchState;
  } catch {
    return undefined;
  }
};

/**
 * Runs `vmtasks watch --json --state FILE` until the file says `ready`, then stops it as Ctrl-C
 * does. Nothing moves on the simulator's manual clock meanwhile, so later polls find nothing new.
 */
async function watchUntil(file: string, ready: (state: WatchState) => boolean) {
  const io = fakeIO(sim.env());
  const stop = new AbortController();
  const run = main(['watch', '--json', '--state', file, '--interval', '100ms'], io, stop.signal);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const state = stateIn(file);
    if (state && ready(state)) break;
    if (Date.now() > deadline) throw new Error(`the state file never got ready: ${io.stderr.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  stop.abort('SIGINT');
  const code = await run;
  const records = io.stdout
    .text()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; api: string; snapshot?: { id: string; state: string } });
  return { code, stderr: io.stderr.text(), seen: records.map((r) => `${r.type} ${r.api} ${r.snapshot?.id} ${r.snapshot?.state}`).sort() };
}

const velostrataTasks = (state: WatchState): Record<string, { state: string }> => state.appliances['velostrata']?.tasks ?? {};

describe('vmtasks watch --json --state FILE', () => {
  it('a restarted watch prints only what changed while it was stopped, each change once', async () => {
    const file = join(folder, 'watch-state.json');
    const running = { state: 'Running' as const, progress: 10 };
    sim.velostrata.addTask({ id: 'steady', steps: [running] });
    sim.velostrata.addTask({ id: 'moves', steps: [running, { afterMs: 30_000, state: 'Running', progress: 60 }] });
    sim.velostrata.addTask({ id: 'ends', steps: [running, { afterMs: 30_000, state: 'Succeeded', progress: 100 }] });
    sim.velostrata.addTask({ id: 'leaves', steps: [running, { afterMs: 30_000, removed: true }] });

    const first = await watchUntil(file, (state) => Object.keys(velostrataTasks(state)).length === 4);
    expect(first.code).toBe(130);
    expect(first.seen).toEqual([
      'appeared velostrata ends running',
      'appeared velostrata leaves running',
      'appeared velostrata moves running',
      'appeared velostrata steady running',
    ]);
    // Ids, states, fingerprints: no credentials, no server text.
    const saved = readFileSync(file, 'utf8');
    expect(saved).not.toContain(sim.velostrata.password);
    expect(saved).not.toMatch(/FullMigration|apiuser/);

    await sim.advance(60_000);
    sim.velostrata.addTask({ id: 'new', steps: [running] });
    const second = await watchUntil(
      file,
      (state) => 'new' in velostrataTasks(state) && velostrataTasks(state)['ends']?.state === 'succeeded',
    );
    expect(second.seen).toEqual([
      'appeared velostrata new running',
      'changed velostrata moves running',
      'disappeared velostrata leaves running',
      'finished velostrata ends succeeded',
    ]);
    // Nothing left behind but the file itself: written to a temporary one and renamed.
    expect(readdirSync(folder)).toEqual(['watch-state.json']);

    const third = await watchUntil(file, () => true);
    expect(third.seen).toEqual([]);
  });

  it('a state file it cannot use is one clear line and exit 2, and is left as it was', async () => {
    const file = join(folder, 'state.json');
    for (const content of [
      '{"version":1,"appliances":{"velostrata":{"version":1,"api":"velostrata","tasks":{"a":{"state":"running"}}}}}',
      'not json',
      '[]',
    ]) {
      writeFileSync(file, content);
      const result = await runMain(['watch', '--json', '--state', file], sim.env());
      expect(result.code).toBe(2);
      // (The simulator's environment names no snapservice services: a note says it is skipped.)
      const errors = result.stderr.split('\n').filter((line) => !line.startsWith('note: '));
      expect(errors.join('\n')).toMatch(
        /^error: --state .*state\.json: .*it is not a state file vmtasks watch wrote \(delete it to start afresh\)\n$/,
      );
      expect(errors.filter(Boolean)).toHaveLength(1);
      expect(result.stdout).toBe('');
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
    const unreadable = await runMain(['watch', '--json', '--state', folder], sim.env());
    expect(unreadable).toMatchObject({ code: 2, stderr: expect.stringMatching(/--state .*: cannot be read \(EISDIR\)\n$/) });
  });

  it('needs --json, and does not go with --until-done', async () => {
    const file = join(folder, 'state.json');
    expect(await runMain(['watch', '--state', file], sim.env())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--state needs --json'),
    });
    expect(await runMain(['watch', '--json', '--until-done', '--state', file], sim.env())).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--state cannot be combined with --until-done'),
    });
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('the state file', () => {
  it('reads nothing from a file that does not exist yet, and reads back what it wrote', () => {
    const file = join(folder, 'state.json');
    expect(readWatchState(file)).toEqual({});
    const appliances = {
      velostrata: {
        version: 1 as const,
        api: 'velostrata' as const,
        tasks: { a: { state: 'running' as const, fingerprint: 'AAAAAAAAAAAAAAAA' } },
      },
    };
    writeWatchState(file, appliances);
    expect(readWatchState(file)).toEqual(appliances);
  });

  it('a write that fails leaves no temporary file and says so as a UsageError', () => {
    const file = join(folder, 'taken');
    mkdirSync(join(file, 'inside'), { recursive: true });
    expect(() => writeWatchState(file, {})).toThrow(UsageError);
    expect(readdirSync(folder)).toEqual(['taken']);
  });
});
