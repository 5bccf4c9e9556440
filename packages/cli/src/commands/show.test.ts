// `vmtasks show <id>`: every field of one task, active or finished, as key: value lines or JSON.
import { SNAPSERVICE_SERVICES, startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMain } from '../../test/fake-io.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
});
afterEach(() => sim.stop());

const running = {
  taskType: 'FullMigration',
  entity: { value: 'vm-web-01', _type: 'VmId' as const },
  username: 'ops@example.com',
  additionalInfo: { wave: 'north', attempt: 2 },
  steps: [{ state: 'Running' as const, progress: 42, message: 'Replicating disk 2 of 4' }],
};

describe('vmtasks show', () => {
  it('prints the task in the common model, then every field the API gave', async () => {
    const id = sim.velostrata.addTask(running);
    const result = await runMain(['show', id, '--api', 'velostrata'], sim.env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(`id:       ${id}`);
    expect(lines).toContain('api:      velostrata');
    expect(lines).toContain('kind:     FullMigration');
    expect(lines).toContain('target:   vm-web-01');
    expect(lines).toContain('progress: 42%');
    expect(lines).toContain('user:     ops@example.com');
    expect(lines).toContain('velostrata fields:');
    for (const field of [
      `  id.value: ${id}`,
      '  id._type: TaskId',
      '  state: Running',
      '  progress: 42',
      '  entity.value: vm-web-01',
      '  entity._type: VmId',
      '  taskType: FullMigration',
      '  progressMessage[0]: Replicating disk 2 of 4',
      '  additionalInfo.wave: north',
      '  additionalInfo.attempt: 2',
    ])
      expect(lines).toContain(field);
  });

  it('--json gives the snapshot and the API’s own answer', async () => {
    const id = sim.velostrata.addTask(running);
    const result = await runMain(['show', id, '--json'], sim.env());
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout) as { snapshot: Record<string, unknown>; raw: Record<string, unknown> };
    expect(shown.snapshot).toMatchObject({ api: 'velostrata', id, kind: 'FullMigration', target: 'vm-web-01', state: 'running' });
    expect(shown.raw).toEqual(sim.velostrata.tasks().find((task) => task.id?.value === id));
  });

  it('finds a finished task that has left the active list, by its id', async () => {
    const id = sim.velostrata.addTask({
      steps: [
        { state: 'Running', progress: 50 },
        { afterMs: 1_000, state: 'Failed', errorMessage: ['Quota exceeded'] },
      ],
    });
    await sim.advance(3_600_000); // past the retention: GET /tasks no longer lists it
    expect((await runMain(['tasks', '--api', 'velostrata', '--json'], sim.env())).stdout).not.toContain(id);
    const result = await runMain(['show', id, '--api', 'velostrata'], sim.env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^state: +failed 50% after 1s · Quota exceeded$/m);
    expect(result.stdout).toContain('  errorMessage[0]: Quota exceeded\n');
  });

  it('takes a unique prefix, as wait does', async () => {
    const id = sim.velostrata.addTask({ id: 'mig-768d2928-cf5a', steps: running.steps });
    sim.velostrata.addTask({ id: 'mig-11aa0000-0000', steps: running.steps });
    const result = await runMain(['show', 'mig-768d'], sim.env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`id:       ${id}\n`);
  });

  it('shows a snapservice task', async () => {
    const id = sim.snapservice.addTask({ operation: 'create_snapshot', steps: [{ status: 'RUNNING', progress: 30 }] });
    const result = await runMain(['show', id, '--api', 'snapservice'], {
      ...sim.env(),
      SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(','),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`id:       ${id}\n`);
    expect(result.stdout).toContain('snapservice fields:\n');
    expect(result.stdout).toContain('  status: RUNNING\n');
    expect(result.stdout).toContain('  operation: create_snapshot\n');
  });

  it('an id no API knows exits 1 at once, as wait’s not-found does', async () => {
    const result = await runMain(['show', 'task-none'], sim.env());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('task task-none is not listed by velostrata or snapservice');
  });
});
