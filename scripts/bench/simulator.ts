import { fork } from 'node:child_process';
import path from 'node:path';
import { mustRun } from './processes.js';
import { row, type Row } from './stats.js';

/**
 * Row 7: the simulator serving a 1,000-task snapservice list (GET with a services filter, every task
 * matching, ~0.5 MB of JSON), 10 concurrent clients on keep-alive connections reading each whole body;
 * beside it, alternating, a plain node:http server sending the same bytes: what the machine can move.
 */
export async function simulatorThroughput(seconds: number, reps: number): Promise<Row[]> {
  const child = fork(path.join(import.meta.dirname, 'simulator-server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { simulatorUrl, referenceUrl, sessionId } = await new Promise<{ simulatorUrl: string; referenceUrl: string; sessionId: string }>(
      (resolve, reject) => {
        child.once('message', (message) => resolve(message as { simulatorUrl: string; referenceUrl: string; sessionId: string }));
        child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it was ready`)));
      },
    );
    // The session id travels in the environment, where no command line shows it.
    const load = await mustRun(
      process.execPath,
      [path.join(import.meta.dirname, 'simulator-load.mjs'), simulatorUrl, referenceUrl, String(seconds), String(reps)],
      { env: { SNAPSERVICE_SESSION_ID: sessionId } },
    );
    const { bytes, simulator, reference } = JSON.parse(load.stdout) as { bytes: number; simulator: number[]; reference: number[] };
    const label = `7. 1,000-task snapservice list (${Math.round(bytes / 1024)} KiB), 10 concurrent clients (${seconds} s runs)`;
    return [
      row('simulator-rps', `${label}: simulator`, 'req/s', simulator, { min: 500, text: '≥ 500/s' }),
      row('simulator-reference-rps', `${label}: plain node:http server, same bytes`, 'req/s', reference, undefined, 'reference'),
      row(
        'simulator-ratio',
        `${label}: simulator ÷ plain server (same run)`,
        '×',
        simulator.map((rate, i) => rate / reference[i]!),
      ),
    ];
  } finally {
    child.disconnect();
  }
}
