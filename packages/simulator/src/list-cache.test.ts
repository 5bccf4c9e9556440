// The snapservice list answer is rendered once per state, not per request, and is never stale:
// a task reaching its next phase, a task added, or a different query each get a fresh answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from './index.js';
import type { ListResult } from './spec-types.js';
import { ALL_SERVICES, snapserviceTasks } from './test-support/requests.js';
import { Timeline } from './timeline.js';
import type { Simulator } from './types.js';

let sim: Simulator | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sim?.stop();
  sim = undefined;
});

const statuses = async (s: Simulator, query = ALL_SERVICES): Promise<string[]> => {
  const answer = await snapserviceTasks(s, query);
  expect(answer.status).toBe(200);
  return (answer.body as ListResult).items.map((item) => item.info.status);
};

describe('snapservice list answers', () => {
  it('are rendered once while nothing listed changes', async () => {
    sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 1 });
    for (let i = 0; i < 20; i++) sim.snapservice.addTask({ steps: [{ status: 'RUNNING' }, { afterMs: 10_000, status: 'SUCCEEDED' }] });
    const rendered = vi.spyOn(Timeline.prototype, 'json');
    const first = await snapserviceTasks(sim, ALL_SERVICES);
    expect(rendered).toHaveBeenCalledTimes(20);
    for (let i = 0; i < 5; i++) expect((await snapserviceTasks(sim, ALL_SERVICES)).text).toBe(first.text);
    await sim.advance(9_999); // still before the next phase
    expect((await snapserviceTasks(sim, ALL_SERVICES)).text).toBe(first.text);
    expect(rendered).toHaveBeenCalledTimes(20);
  });

  it('change when a task reaches its next phase, listed or not, and when a task is added', async () => {
    sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 1 });
    sim.snapservice.addTask({ steps: [{ status: 'RUNNING' }, { afterMs: 10_000, status: 'SUCCEEDED' }] });
    // Not listed yet: it appears after 5 s, before the first task changes.
    sim.snapservice.addTask({
      steps: [
        { afterMs: 5_000, status: 'PENDING' },
        { afterMs: 60_000, status: 'RUNNING' },
      ],
    });
    expect(await statuses(sim)).toEqual(['RUNNING']);
    await sim.advance(5_000);
    expect(await statuses(sim)).toEqual(['RUNNING', 'PENDING']);
    await sim.advance(5_000);
    expect(await statuses(sim)).toEqual(['SUCCEEDED', 'PENDING']);
    expect(await statuses(sim, { ...ALL_SERVICES, status: ['PENDING'] })).toEqual(['PENDING']);
    sim.snapservice.addTask({ steps: [{ status: 'FAILED' }] });
    expect(await statuses(sim)).toEqual(['SUCCEEDED', 'PENDING', 'FAILED']);
    expect(await statuses(sim, { ...ALL_SERVICES, status: ['PENDING'] })).toEqual(['PENDING']);
  });

  it('still check the session of each request', async () => {
    sim = await startSimulator({ clock: 'manual', scenario: 'empty', seed: 1 });
    sim.snapservice.addTask({ steps: [{ status: 'RUNNING' }] });
    expect(await statuses(sim)).toEqual(['RUNNING']);
    const stranger = await snapserviceTasks(sim, ALL_SERVICES, sim.snapservice.url, { 'vmware-api-session-id': 'not-a-session' });
    expect(stranger.status).toBe(401);
  });
});
