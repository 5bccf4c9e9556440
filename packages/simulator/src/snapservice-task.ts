// One snapservice task: its script becomes the ListItems GET /api/snapservice/tasks lists over time.
import type { ListItem, LocalizableMessage, Progress, TaskError, TaskInfo, TaskStatus } from './spec-types.js';
import { assertNothingAfterEnd, isRemoved, timed } from './steps.js';
import { Timeline, type Phase } from './timeline.js';
import type { SnapserviceTaskScript } from './types.js';

const TERMINAL: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['SUCCEEDED', 'FAILED']);

export function isTerminalStatus(status: TaskStatus): boolean {
  return TERMINAL.has(status);
}

export function message(id: string, defaultMessage: string, args: string[] = []): LocalizableMessage {
  return { id, default_message: defaultMessage, args };
}

/** The error of a FAILED step that names none. */
export const DEFAULT_TASK_ERROR: TaskError = {
  error_type: 'RESOURCE_INACCESSIBLE',
  messages: [message('com.vmware.snapservice.datastore.inaccessible', 'Datastore {0} is not accessible.', ['vsanDatastore'])],
  data: {},
};

export type ResolvedSnapserviceScript = SnapserviceTaskScript &
  Required<Pick<SnapserviceTaskScript, 'id' | 'service' | 'operation' | 'user' | 'description'>>;

/** The task's phases: listed from its first step (usually PENDING) until a `removed` step. */
export function snapserviceTimeline(script: ResolvedSnapserviceScript, start: number): Timeline<ListItem> {
  const steps = timed(script.steps, start);
  const phases: Phase<ListItem>[] = [];
  let progress: Progress | undefined;
  let startTime: string | undefined;
  for (const [index, { at, step }] of steps.entries()) {
    if (isRemoved(step)) {
      assertNothingAfterEnd(index, steps.length, 'removes the task');
      phases.push({ at, view: null });
      continue;
    }
    const time = new Date(at).toISOString();
    if (step.status !== 'PENDING') startTime ??= time;
    progress = nextProgress(progress, step, index);
    if (progress && step.status === 'SUCCEEDED') progress = { ...progress, completed: progress.total };
    const terminal = isTerminalStatus(step.status);
    const info: TaskInfo = {
      description: script.description,
      service: script.service,
      operation: script.operation,
      ...(script.target && { target: { type: script.target.type, id: script.target.id } }),
      status: step.status,
      cancelable: step.cancelable ?? (step.status === 'PENDING' || step.status === 'RUNNING'),
      ...(progress && step.status !== 'PENDING' && { progress }),
      ...(step.status === 'FAILED' && { error: step.error ?? DEFAULT_TASK_ERROR }),
      ...(step.status === 'SUCCEEDED' && step.result !== undefined && { result: step.result }),
      ...(startTime !== undefined && { start_time: startTime }),
      ...(terminal && { end_time: time }),
      user: script.user,
    };
    phases.push({ at, view: { task: script.id, info } });
    if (terminal) assertNothingAfterEnd(index, steps.length, `ends the task (${step.status})`);
  }
  return new Timeline(phases);
}

function nextProgress(previous: Progress | undefined, step: { progress?: number | { total: number; completed: number }; message?: string | LocalizableMessage }, index: number): Progress | undefined {
  const text = step.message;
  const progressMessage =
    text === undefined ? previous?.message : typeof text === 'string' ? message('com.vmware.snapservice.progress', text) : text;
  if (step.progress === undefined) {
    if (!previous) return progressMessage ? { total: 100, completed: 0, message: progressMessage } : undefined;
    return progressMessage === previous.message ? previous : { ...previous, message: progressMessage! };
  }
  const { total, completed } = typeof step.progress === 'number' ? { total: 100, completed: step.progress } : step.progress;
  if (!Number.isInteger(total) || !Number.isInteger(completed) || total < 0 || completed < 0 || completed > total) {
    throw new RangeError(`step ${index}: progress needs integers 0 ≤ completed ≤ total`);
  }
  return { total, completed, message: progressMessage ?? message('com.vmware.snapservice.progress', 'In progress') };
}
