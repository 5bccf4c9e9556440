import { describe, expect, it } from 'vitest';
import { isTerminalTaskState, progressFraction, sameSnapshot, TASK_STATES, type TaskSnapshot } from './snapshot.js';

describe('TaskSnapshot helpers', () => {
  it('sameSnapshot compares every field (a new field must be added to the sample, and then to sameSnapshot)', () => {
    const full: Required<TaskSnapshot> = {
      api: 'velostrata',
      id: 'task-1',
      kind: 'FullMigration',
      target: 'vm-1',
      state: 'running',
      progress: 0.5,
      message: 'Streaming',
      error: 'none',
      startedAt: '2026-01-01T00:00:00Z',
      endedAt: '2026-01-01T01:00:00Z',
      user: 'apiuser',
    };
    expect(sameSnapshot(full, { ...full })).toBe(true);
    for (const key of Object.keys(full) as (keyof TaskSnapshot)[]) {
      expect(sameSnapshot(full, { ...full, [key]: undefined }), key).toBe(false);
    }
  });

  it('knows the terminal states and turns done/total into a clamped fraction', () => {
    expect(TASK_STATES.filter(isTerminalTaskState)).toEqual(['succeeded', 'failed', 'cancelled']);
    expect(progressFraction(3, 4)).toBe(0.75);
    expect(progressFraction(150, 100)).toBe(1);
    expect(progressFraction(-1, 100)).toBe(0);
    expect(progressFraction(1, 0)).toBeUndefined();
    expect(progressFraction(undefined, 100)).toBeUndefined();
    expect(progressFraction(Number.NaN, 100)).toBeUndefined();
  });
});
