import { spawn } from 'node:child_process';
import path from 'node:path';
import { repo } from '@vmtasks/spec-toolchain/test-workspace';
import { SNAPSERVICE_SERVICES, startSimulator } from '@vmtasks/simulator';
import { row, type Row } from './stats.js';

const BIN = path.join(repo, 'packages/cli/bin/vmtasks.js');

/** Spawns `vmtasks` and times spawn → first byte on stdout; the process is then stopped (SIGTERM) if still running. */
function firstOutput(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let first: number | undefined;
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    child.stdout.once('data', () => {
      first = performance.now() - started;
      child.kill('SIGTERM');
    });
    child.on('close', (code) => {
      if (first !== undefined) resolve(first);
      else reject(new Error(`vmtasks ${args.join(' ')} exited ${code} without output:\n${stderr}`));
    });
  });
}

/** Row 9: how soon `vmtasks` shows something, in a fresh process each time, against the simulator. */
export async function cliStartup(reps: number): Promise<Row[]> {
  const simulator = await startSimulator({ clock: { speed: 1 } });
  try {
    const env = { PATH: process.env['PATH'], ...simulator.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') };
    const variants: [string, string, string[], boolean][] = [
      ['cli-first-output-tasks', '9. vmtasks tasks: start → first output (both APIs, simulator)', ['tasks'], true],
      ['cli-first-output-watch', '9. vmtasks watch: start → first line (both APIs, simulator)', ['watch'], true],
      ['cli-first-output-version', '9. vmtasks --version: start → output (Node.js start-up included)', ['--version'], false],
    ];
    const samples = new Map<string, number[]>(variants.map(([id]) => [id, []]));
    await firstOutput(['--version'], env); // warm the file system cache
    for (let i = 0; i < reps; i++) {
      // Alternating, so a busy moment on the machine touches every variant alike.
      for (const [id, , args] of variants) samples.get(id)!.push(await firstOutput(args, env));
    }
    return variants.map(([id, name, , targeted]) =>
      row(id, name, 'ms', samples.get(id)!, targeted ? { max: 500, text: '≤ 0.5 s' } : undefined),
    );
  } finally {
    await simulator.stop();
  }
}
