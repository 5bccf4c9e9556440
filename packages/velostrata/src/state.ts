import { isTerminalTaskState, type TaskState as SnapshotState } from '@vmtasks/core';
import type { TaskState } from './model.js';

const STATE_BY_VELOSTRATA_STATE: Readonly<Record<TaskState, SnapshotState>> = {
  Running: 'running',
  Failing: 'failing',
  Cancelling: 'cancelling',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
};

/** The common state of a Velostrata state. A missing one, or one a newer release added, counts as still running: a wait never ends on it. */
export function stateOf(state: TaskState | undefined): SnapshotState {
  return (state && STATE_BY_VELOSTRATA_STATE[state]) ?? 'running';
}

/** The states a task ends in; it does not change again. */
export type TerminalState = Extract<TaskState, 'Succeeded' | 'Failed' | 'Cancelled'>;

/** Whether a task in this state has ended (`Succeeded`, `Failed` or `Cancelled`) and will not change again. */
export function isTerminalState(state: TaskState): state is TerminalState {
  return isTerminalTaskState(stateOf(state));
}
