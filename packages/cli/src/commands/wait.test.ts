// `vmtasks wait` with an id as the table shows it: cut short. A unique prefix is enough (as in git
// and docker); an ambiguous one says which ids it could be.
import { SNAPSERVICE_SERVICES, startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMain } from '../../test/fake-io.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
});
afterEach(() => sim.stop());

const done = [{ state: 'Succeeded' as const, progress: 100 }];
const fast = ['--interval', '100ms'];

describe('vmtasks wait <prefix>', () => {
  it('waits for the one task whose id starts with it', async () => {
    sim.velostrata.addTask({ id: 'mig-768d2928-cf5a', steps: done });
    sim.velostrata.addTask({ id: 'mig-11aa0000-0000', steps: [{ state: 'Running', progress: 10 }] });
    const result = await runMain(['wait', 'mig-768d', ...fast], sim.env());
    expect(result.stderr).toContain('✓ task mig-768d2928-cf5a succeeded\n');
    expect(result.code).toBe(0);
  });

  it('a whole id wins over the longer ids it starts', async () => {
    sim.velostrata.addTask({ id: 'task-1', steps: done });
    sim.velostrata.addTask({ id: 'task-10', steps: [{ state: 'Running', progress: 10 }] });
    const result = await runMain(['wait', 'task-1', ...fast], sim.env());
    expect(result.stderr).toContain('✓ task task-1 succeeded\n');
    expect(result.code).toBe(0);
  });

  it('an ambiguous prefix exits 2 naming every match', async () => {
    sim.velostrata.addTask({ id: 'mig-aa1', steps: done });
    sim.velostrata.addTask({ id: 'mig-aa2', steps: done });
    const result = await runMain(['wait', 'mig-a', ...fast], sim.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('task id mig-a is ambiguous: 2 task ids start with it; give more of it:\n');
    expect(result.stderr).toContain('  velostrata mig-aa1\n');
    expect(result.stderr).toContain('  velostrata mig-aa2\n');
  });

  it('finds a snapservice task cut short in the table, among the services of SNAPSERVICE_SERVICES', async () => {
    const id = sim.snapservice.addTask({ steps: [{ status: 'SUCCEEDED' }] });
    const shown = id.slice(0, 12); // what the table shows of it at 80 columns, less the ellipsis
    const result = await runMain(['wait', shown, ...fast], { ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') });
    expect(result.stderr).toContain(`✓ task ${id} succeeded\n`);
    expect(result.code).toBe(0);
  });
});
