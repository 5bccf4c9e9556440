// One Velostrata task: its script becomes the TaskDescriptions GET /tasks lists over time.
import type { TaskDescription, TaskState } from './spec-types.js';
import { assertNothingAfterEnd, isRemoved, timed } from './steps.js';
import { Timeline, type Phase } from './timeline.js';
import type { VelostrataTaskScript } from './types.js';

const TERMINAL: ReadonlySet<TaskState> = new Set<TaskState>(['Succeeded', 'Failed', 'Cancelled']);

export function isTerminalState(state: TaskState): boolean {
  return TERMINAL.has(state);
}

const taskId = (value: string): NonNullable<TaskDescription['id']> => ({ value, _type: 'TaskId' });

/** The task's phases: listed from its first step, unlisted `retentionMs` after it ends or when removed. */
export function velostrataTimeline(
  script: VelostrataTaskScript & { id: string; entity: NonNullable<VelostrataTaskScript['entity']> },
  start: number,
  retentionMs: number,
): Timeline<TaskDescription> {
  const steps = timed(script.steps, start);
  const startTime = new Date(steps[0]!.at).toISOString();
  const phases: Phase<TaskDescription>[] = [];
  let progress = 0;
  let message: string | undefined;
  for (const [index, { at, step }] of steps.entries()) {
    if (isRemoved(step)) {
      assertNothingAfterEnd(index, steps.length, 'removes the task');
      phases.push({ at, view: null, forgotten: true }); // gone from the history too: getTask answers 404
      continue;
    }
    progress = step.progress ?? (step.state === 'Succeeded' ? 100 : progress);
    if (!Number.isInteger(progress) || progress < 0 || progress > 100)
      throw new RangeError(`step ${index}: progress must be an integer 0..100`);
    message = step.message ?? message;
    const terminal = isTerminalState(step.state);
    const view: TaskDescription = {
      id: taskId(script.id),
      ...(script.parentTaskId !== undefined && { parentTaskId: taskId(script.parentTaskId) }),
      ...(script.subTasks !== undefined && { subTasks: script.subTasks.map(taskId) }),
      taskType: script.taskType ?? 'FullMigration',
      entity: { value: script.entity.value, _type: script.entity._type },
      state: step.state,
      progress,
      progressMessage: message === undefined ? [] : [message],
      ...(step.errorMessage !== undefined && { errorMessage: step.errorMessage }),
      ...(step.errorDetails !== undefined && { errorDetails: step.errorDetails }),
      startTime,
      ...(terminal && { endTime: new Date(at).toISOString() }),
      username: script.username ?? 'apiuser',
      ...(script.additionalInfo !== undefined && { additionalInfo: script.additionalInfo }),
    };
    phases.push({ at, view });
    if (terminal) {
      assertNothingAfterEnd(index, steps.length, `ends the task (${step.state})`);
      phases.push({ at: at + retentionMs, view: null });
    }
  }
  return new Timeline(phases);
}
