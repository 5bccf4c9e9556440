import { isTerminalTaskState, type TaskState } from '@vmtasks/core';
import type { TaskStatus } from './model.js';

const STATE_BY_STATUS: Readonly<Record<TaskStatus, TaskState>> = {
  PENDING: 'pending',
  RUNNING: 'running',
  BLOCKED: 'blocked',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
};

/** The common state of a snapservice status. A status a newer release added counts as still running: a wait never ends on it. */
export function stateOf(status: TaskStatus): TaskState {
  return STATE_BY_STATUS[status] ?? 'running';
}

/** The statuses a task ends in; it does not change again. */
export type TerminalStatus = Extract<TaskStatus, 'SUCCEEDED' | 'FAILED'>;

/** Whether a task in this status has ended (`SUCCEEDED` or `FAILED`) and will not change again. */
export function isTerminalStatus(status: TaskStatus): status is TerminalStatus {
  return isTerminalTaskState(stateOf(status));
}
