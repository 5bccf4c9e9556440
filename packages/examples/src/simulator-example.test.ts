import { startSimulator, type Simulator } from '@vmtasks/simulator';
import { createSnapserviceClient, SnapserviceError } from '@vmtasks/snapservice';
import { afterAll, beforeAll, expect, it } from 'vitest';

let sim: Simulator;
// A manual clock: time moves only with sim.advance(ms), so the test never sleeps and always sees the same thing.
beforeAll(async () => {
  sim = await startSimulator({ clock: 'manual', seed: 7, scenario: 'empty' });
});
afterAll(() => sim.stop());

it('reports a snapshot that fails after 60 %, through a burst of 503s', async () => {
  const taskId = sim.snapservice.addTask({
    target: { type: 'com.vmware.snapservice.protection_group', id: 'pg-finance' },
    steps: [
      { status: 'RUNNING', progress: 10, message: 'Snapshotting vm-101' },
      { afterMs: 30_000, status: 'RUNNING', progress: 60 },
      { afterMs: 30_000, status: 'FAILED', error: { error_type: 'TIMED_OUT', messages: [] } },
    ],
  });
  const client = createSnapserviceClient({ baseUrl: sim.snapservice.url, sessionId: sim.snapservice.sessionId });

  expect((await client.listTasks({ tasks: [taskId] })).items[0]?.info.progress?.completed).toBe(10);
  await sim.advance(60_000);
  sim.snapservice.injectFault({ kind: 'unavailable' }, 2); // the client's retries ride it out
  expect((await client.listTasks({ tasks: [taskId] })).items[0]?.info.status).toBe('FAILED');

  sim.snapservice.expireSession();
  await expect(client.listTasks({ tasks: [taskId] })).rejects.toBeInstanceOf(SnapserviceError); // 401 UNAUTHENTICATED
});
