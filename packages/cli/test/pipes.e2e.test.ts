// Every byte vmtasks writes reaches a slow reader: a 2,000-task simulator, its output piped
// into a reader that takes a chunk at a time, with a pause after each.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from './run.js';
import { BIN } from './terminal.js';
import { envFor, simulators } from './wave.js';

const TASKS = 2000;
const sims = simulators();

/** A simulator listing 2,000 finished Velostrata tasks, each with a long message (about 700 KB of JSON in all). */
async function bigList(): Promise<Record<string, string>> {
  const sim = await sims.start({ clock: 'manual', scenario: 'empty' });
  for (let i = 0; i < TASKS; i++)
    sim.velostrata.addTask({ steps: [{ state: 'Succeeded', progress: 100, message: `Replicated disk ${i}: ${'x'.repeat(120)}` }] });
  return envFor(sim);
}

/**
 * Runs vmtasks with stdout on a pipe read slowly: one chunk (at most 64 KiB, the pipe's size),
 * then a pause of `pauseMs`. Writing ~700 KB then takes seconds, long after a process that exits
 * right after its last write() would have gone.
 */
function readSlowly(args: readonly string[], env: Record<string, string>, pauseMs: number) {
  const child = spawn(process.execPath, [BIN, ...args], { env: isolatedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), pauseMs);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8'), stderr })),
  );
}

describe('pipes to a slow reader get every byte', () => {
  it('tasks --json: the whole list, valid JSON', async () => {
    const env = await bigList();
    const result = await readSlowly(['tasks', '--json', '--api', 'velostrata'], env, 100);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout) as unknown[];
    expect(listed).toHaveLength(TASKS);
  }, 120_000);

  it('watch --until-done --json: one line per task, and the process ends by itself', async () => {
    const env = await bigList();
    const result = await readSlowly(['watch', '--until-done', '--json', '--api', 'velostrata', '--interval', '100ms'], env, 100);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(TASKS);
    expect(new Set(lines.map((line) => (JSON.parse(line) as { type: string }).type))).toEqual(new Set(['finished']));
  }, 120_000);
});
