// The real binary logs out of the snapservice session it opened when SIGTERM (or Ctrl-C) ends it.
import { SNAPSERVICE_SERVICES, startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printed, runVmtasks } from './run.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
  sim.snapservice.addTask({ steps: [{ status: 'RUNNING', progress: 30 }] });
});
afterAll(() => sim?.stop());

describe('vmtasks with SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('logs out when %s ends it', async (signal, status) => {
    const { SNAPSERVICE_SESSION_ID: _unused, ...env } = sim.env();
    const before = sim.snapservice.sessions();
    const watching = runVmtasks(['watch', '--api', 'snapservice', '--interval', '100ms'], {
      ...env,
      SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(','),
    });
    await printed(watching, 'stdout', /running 30%/);
    expect(sim.snapservice.sessions()).toEqual({ created: before.created + 1, live: before.live + 1 });
    watching.child.kill(signal);
    const result = await watching;
    expect(result.code).toBe(status);
    expect(sim.snapservice.sessions()).toEqual({ created: before.created + 1, live: before.live });
  });
});
