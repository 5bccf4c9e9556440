// The built-in snapservice scenario: a schedule queues `snapshots` protection-group snapshot tasks at
// once; they start three at a time, 15 s apart.
// Each snapshots its VMs one by one; every fifth (tasks 2, 7, …) is BLOCKED for a while after its first
// VM, a seeded few FAIL, the rest SUCCEED.
import { PROTECTION_GROUP_SERVICE } from './defaults.js';
import type { Random } from './random.js';
import type { SnapserviceAppliance } from './snapservice-appliance.js';
import { message } from './snapservice-task.js';
import { relative } from './steps.js';
import type { SnapserviceStateStep } from './types.js';

type Planned = SnapserviceStateStep & { at: number };

const START_STAGGER_MS = 15_000;
const STARTS_TOGETHER = 3;
const BLOCKED_MS = 45_000;
const USERS = ['VSPHERE.LOCAL\\Administrator', 'VSPHERE.LOCAL\\snapservice-scheduler', 'VSPHERE.LOCAL\\snapservice-scheduler'];

const snapshotting = (vm: string) => message('com.vmware.snapservice.progress.snapshot', 'Snapshotting virtual machine {0}', [vm]);

export function snapserviceWave(appliance: SnapserviceAppliance, random: Random, snapshots: number, start: number): void {
  const isBlocked = (i: number): boolean => i % 5 === 1;
  const candidates = Array.from({ length: snapshots }, (_, i) => i).filter((i) => !isBlocked(i));
  const failing = new Set(snapshots >= 3 ? random.sample(candidates.length, Math.max(1, Math.round(snapshots / 5))).map((i) => candidates[i]!) : []);

  for (let i = 0; i < snapshots; i++) {
    const group = `pg-${i + 1}`;
    const vmCount = random.int(2, 8);
    const firstVm = 100 + i * 10;
    const failsAt = failing.has(i) ? random.int(0, vmCount - 1) : -1;
    const steps: Planned[] = [{ at: 0, status: 'PENDING' }];
    let at = Math.floor(i / STARTS_TOGETHER) * START_STAGGER_MS + random.int(1, 10) * 1000;
    for (let vm = 0; vm < vmCount; vm++) {
      steps.push({ at, status: 'RUNNING', cancelable: true, progress: { total: vmCount, completed: vm }, message: snapshotting(`vm-${firstVm + vm}`) });
      at += random.int(20, 60) * 1000;
      if (vm === failsAt) {
        steps.push({
          at,
          status: 'FAILED',
          error: {
            error_type: 'RESOURCE_INACCESSIBLE',
            messages: [message('com.vmware.snapservice.datastore.inaccessible', 'Datastore {0} is not accessible.', ['vsanDatastore'])],
            data: {},
          },
        });
        break;
      }
      if (isBlocked(i) && vm === 0) {
        steps.push({ at, status: 'BLOCKED', cancelable: false, progress: { total: vmCount, completed: 1 }, message: message('com.vmware.snapservice.progress.waiting', 'Waiting for a free snapshot slot') });
        at += BLOCKED_MS;
      }
    }
    if (failsAt < 0) steps.push({ at, status: 'SUCCEEDED', result: `snapshot-${random.uuid()}` });
    appliance.addTask(
      {
        service: PROTECTION_GROUP_SERVICE,
        operation: 'snapshot',
        target: { type: PROTECTION_GROUP_SERVICE, id: group },
        user: USERS[i % USERS.length]!,
        description: message(`${PROTECTION_GROUP_SERVICE}.snapshot`, 'Take snapshot of protection group {0}', [group]),
        steps: relative(steps),
      },
      start,
    );
  }
}
