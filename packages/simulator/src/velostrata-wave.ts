// The built-in Velostrata scenario: a cloud extension, then a migration wave of `vms` VMs.
// Per VM a FullMigration parent with the subtasks RunVmInCloud → MigrateToCloud → DetachVm;
// VM 2 is cancelled, a seeded few fail while migrating storage, the rest succeed.
import type { Random } from './random.js';
import { relative } from './steps.js';
import type { VelostrataAppliance } from './velostrata-appliance.js';
import type { VelostrataStateStep } from './types.js';

type Planned = VelostrataStateStep & { at: number };

const CE_MS = 60_000;
const VM_STAGGER_MS = 20_000;
const FAILURE = {
  errorMessage: ['Cloud Extension is not reachable'],
  errorDetails: 'Timeout after 600 s waiting for cloud extension ce-1',
};

/** A subtask's progress: Running 0 → 100 in tenths over `durationMs`, Succeeded at the end. */
function progressSteps(start: number, durationMs: number, message: (percent: number) => string): Planned[] {
  const steps: Planned[] = [];
  for (let tenth = 0; tenth < 10; tenth++) {
    steps.push({ at: start + Math.round((durationMs * tenth) / 10), state: 'Running', progress: tenth * 10, message: message(tenth * 10) });
  }
  steps.push({ at: start + durationMs, state: 'Succeeded', progress: 100, message: message(100) });
  return steps;
}

/** Cuts a subtask short at its `tenth` progress step: it ends `state` (Failed or Cancelled) after `settleMs`. */
function interrupt(steps: Planned[], tenth: number, state: 'Failed' | 'Cancelled', settleMs: number): Planned[] {
  const at = steps[tenth]!;
  const kept = steps.slice(0, tenth);
  if (state === 'Failed') {
    return [...kept, { ...at, state: 'Failing', ...FAILURE }, { ...at, at: at.at + settleMs, state: 'Failed', ...FAILURE }];
  }
  return [...kept, { ...at, state: 'Cancelling', message: 'Cancelling at the user’s request' }, { ...at, at: at.at + settleMs, state: 'Cancelled', message: 'Cancelled by the user' }];
}

/** The parent follows its children: the mean of their progress, the message of the one running. */
function parentSteps(children: Planned[][]): Planned[] {
  const times = [...new Set(children.flat().map((s) => s.at))].sort((a, b) => a - b);
  const stateAt = (steps: Planned[], at: number): Planned | undefined => steps.filter((s) => s.at <= at).at(-1);
  return times.map((at) => {
    const current = children.map((steps) => stateAt(steps, at));
    const progress = Math.floor(current.reduce((sum, s) => sum + (s?.progress ?? 0), 0) / children.length);
    const active = current.filter((s): s is Planned => s !== undefined).at(-1)!;
    const lastChild = current.at(-1);
    const state = active.state === 'Succeeded' ? (lastChild?.state === 'Succeeded' ? 'Succeeded' : 'Running') : active.state;
    return {
      at,
      state,
      progress: state === 'Succeeded' ? 100 : progress,
      ...(active.message !== undefined && { message: active.message }),
      ...(active.errorMessage && { errorMessage: active.errorMessage, errorDetails: active.errorDetails! }),
    };
  });
}

export function velostrataWave(appliance: VelostrataAppliance, random: Random, vms: number, start: number): void {
  appliance.addTask(
    {
      taskType: 'CreateCloudExtension',
      entity: { value: 'ce-1', _type: 'CloudExtensionId' },
      steps: relative(progressSteps(0, CE_MS, (p) => (p < 50 ? 'Deploying cloud extension nodes' : 'Configuring cloud extension ce-1'))),
    },
    start,
  );
  const cancelled = vms >= 2 ? 1 : -1;
  const candidates = Array.from({ length: vms }, (_, i) => i).filter((i) => i !== cancelled);
  const failing = new Set(vms >= 3 ? random.sample(candidates.length, Math.max(1, Math.round(vms / 5))).map((i) => candidates[i]!) : []);

  for (let i = 0; i < vms; i++) {
    const vm = appliance.newVmId();
    const gigabytes = random.int(40, 400);
    let at = CE_MS + i * VM_STAGGER_MS;
    const run = progressSteps(at, random.int(60, 120) * 1000, (p) => (p < 40 ? `Preparing ${vm}` : `Starting ${vm} in the cloud`));
    at = run.at(-1)!.at;
    let migrate = progressSteps(at, random.int(240, 480) * 1000, (p) => `Migrating storage: ${Math.round((gigabytes * p) / 100)} of ${gigabytes} GB`);
    const ends = failing.has(i) ? 'Failed' : i === cancelled ? 'Cancelled' : undefined;
    if (ends) migrate = interrupt(migrate, random.int(2, 7), ends, ends === 'Failed' ? 15_000 : 20_000);
    const children = [run, migrate];
    if (!ends) children.push(progressSteps(migrate.at(-1)!.at, random.int(30, 60) * 1000, () => `Detaching ${vm}`));

    const parent = appliance.newTaskId();
    const ids = children.map(() => appliance.newTaskId());
    const entity = { value: vm, _type: 'VmId' as const };
    appliance.addTask({ id: parent, taskType: 'FullMigration', entity, subTasks: ids, steps: relative(parentSteps(children)) }, start);
    const types = ['RunVmInCloud', 'MigrateToCloud', 'DetachVm'];
    for (const [c, steps] of children.entries()) {
      appliance.addTask({ id: ids[c]!, taskType: types[c]!, entity, parentTaskId: parent, steps: relative(steps) }, start);
    }
  }
}
