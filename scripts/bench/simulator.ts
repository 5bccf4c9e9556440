import { fork } from 'node:child_process';
import path from 'node:path';
import { mustRun } from './processes.js';
import { row, type Row } from './stats.js';

/**
 * Row 7: the simulator serving a 1,000-task snapservice list (GET with a services filter, every task
 * matching, ~0.7 MB of JSON), 10 concurrent clients on keep-alive connections reading each whole body.
 */
export async function simulatorThroughput(seconds: number, reps: number): Promise<Row[]> {
  const child = fork(path.join(import.meta.dirname, 'simulator-server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { url, sessionId } = await new Promise<{ url: string; sessionId: string }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { url: string; sessionId: string }));
      child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it was ready`)));
    });
    const target = `${url}/api/snapservice/tasks?services=com.vmware.snapservice.protection_group`;
    // The session id travels in the environment, where no command line shows it.
    const load = await mustRun(
      process.execPath,
      [path.join(import.meta.dirname, 'simulator-load.mjs'), target, String(seconds), String(reps)],
      {
        env: { SNAPSERVICE_SESSION_ID: sessionId },
      },
    );
    const { bytes, samples } = JSON.parse(load.stdout) as { bytes: number; samples: number[] };
    return [
      row(
        'simulator-rps',
        `7. simulator: 1,000-task snapservice list (${Math.round(bytes / 1024)} KiB), 10 concurrent clients (${seconds} s runs)`,
        'req/s',
        samples,
        {
          min: 500,
          text: '≥ 500/s',
        },
      ),
    ];
  } finally {
    child.disconnect();
  }
}
