import path from 'node:path';
import { createSnapserviceClient } from '@vmtasks/snapservice';
import { repo } from '@vmtasks/spec-toolchain/test-workspace';
import { startPrism, specOf } from '@vmtasks/testkit';
import { mustRun } from './processes.js';
import { row, type Row } from './stats.js';

/** Row 4a: Prism start → first valid response, each in a fresh process. */
export async function mockStartup(reps: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const api of ['velostrata', 'snapservice']) {
    const samples: number[] = [];
    const wholeProcess: number[] = [];
    for (let i = 0; i < reps; i++) {
      const child = await mustRun(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'prism-first-response.ts'), api], {
        cwd: repo,
      });
      samples.push((JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { firstResponse: number }).firstResponse);
      wholeProcess.push(child.ms);
    }
    rows.push(row(`mock-first-${api}`, `4. Prism start → first valid response (${api})`, 'ms', samples, { max: 1_000, text: '≤ 1 s' }));
    rows.push(
      row(
        `mock-process-${api}`,
        `4. the same, whole fresh process (node, module loading, exit) (${api})`,
        'ms',
        wholeProcess,
        undefined,
        'context for the row above',
      ),
    );
  }
  return rows;
}

/** Row 4b: requests/s through the client against the Prism mock, 10 in flight, for a bounded time. */
export async function mockThroughput(seconds: number, reps: number): Promise<Row[]> {
  const prism = await startPrism({ spec: await specOf('snapservice') });
  try {
    const client = createSnapserviceClient({ baseUrl: prism.url, sessionId: 'bench', retry: false });
    await client.listTasks({ services: ['com.vmware.snapservice.protection_group'] }); // Prism compiles the schemas on the first request
    const samples: number[] = [];
    for (let r = 0; r < reps; r++) {
      const deadline = performance.now() + seconds * 1000;
      let done = 0;
      const worker = async (): Promise<void> => {
        while (performance.now() < deadline) {
          await client.listTasks({ services: ['com.vmware.snapservice.protection_group'], status: ['RUNNING'] });
          done++;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: 10 }, worker));
      samples.push(done / ((performance.now() - started) / 1000));
    }
    return [row('mock-rps', `4. client → Prism mock, 10 concurrent (${seconds} s runs)`, 'req/s', samples)];
  } finally {
    await prism.close();
  }
}
