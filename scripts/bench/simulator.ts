import { fork } from 'node:child_process';
import path from 'node:path';
import { Agent, request } from 'undici';
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
    const dispatcher = new Agent({ connections: 10 });
    const target = `${url}/api/snapservice/tasks?services=com.vmware.snapservice.protection_group`;
    const get = async (): Promise<number> => {
      const response = await request(target, { headers: { 'vmware-api-session-id': sessionId }, dispatcher });
      const body = await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw new Error(`the simulator answered ${response.statusCode}`);
      return body.byteLength;
    };
    const bytes = await get();
    const samples: number[] = [];
    for (let r = 0; r < reps; r++) {
      const deadline = performance.now() + seconds * 1000;
      let done = 0;
      const worker = async (): Promise<void> => {
        while (performance.now() < deadline) {
          await get();
          done++;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: 10 }, worker));
      samples.push(done / ((performance.now() - started) / 1000));
    }
    await dispatcher.close();
    return [
      row('simulator-rps', `7. simulator: 1,000-task snapservice list (${Math.round(bytes / 1024)} KiB), 10 concurrent clients (${seconds} s runs)`, 'req/s', samples, {
        min: 500,
        text: '≥ 500/s',
      }),
    ];
  } finally {
    child.disconnect();
  }
}
