import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskDiffer } from './differ.js';
import type { TaskEvent } from './events.js';
import { isTerminalTaskState, TASK_STATES, type TaskSnapshot, type TaskState } from './snapshot.js';

interface Row {
  id?: string;
  state: TaskState;
  progress?: number;
}

const toSnapshot = (row: Row): TaskSnapshot | undefined =>
  row.id === undefined ? undefined : { api: 'snapservice', id: row.id, state: row.state, progress: row.progress };

const summary = (events: TaskEvent<Row>[]): string[] =>
  events.map((e) => `${e.type} ${e.snapshot.id} ${e.snapshot.state}${'previous' in e && e.previous ? ` (was ${e.previous.state})` : ''}`);

describe('TaskDiffer', () => {
  it('reports appeared, changed, finished and disappeared, each once, in list order', () => {
    const differ = new TaskDiffer(toSnapshot);
    expect(summary(differ.diff([{ id: 'a', state: 'pending' }, { id: 'b', state: 'running', progress: 0.1 }]))).toEqual([
      'appeared a pending',
      'appeared b running',
    ]);
    expect(summary(differ.diff([{ id: 'a', state: 'pending' }, { id: 'b', state: 'running', progress: 0.1 }]))).toEqual([]);
    expect(summary(differ.diff([{ id: 'a', state: 'running' }, { id: 'b', state: 'running', progress: 0.5 }]))).toEqual([
      'changed a running (was pending)',
      'changed b running (was running)',
    ]);
    expect(summary(differ.diff([{ id: 'a', state: 'failed' }, { id: 'b', state: 'running', progress: 0.5 }]))).toEqual([
      'finished a failed (was running)',
    ]);
    // A finished task stays quiet while listed, then disappears once.
    expect(summary(differ.diff([{ id: 'a', state: 'failed', progress: 1 }, { id: 'b', state: 'succeeded' }]))).toEqual([
      'finished b succeeded (was running)',
    ]);
    expect(summary(differ.diff([{ id: 'b', state: 'succeeded' }]))).toEqual(['disappeared a failed']);
    expect(differ.size).toBe(1);
    const last = differ.diff([]);
    expect(last).toEqual([{ type: 'disappeared', snapshot: { api: 'snapservice', id: 'b', state: 'succeeded' }, item: { id: 'b', state: 'succeeded' } }]);
    expect(differ.size).toBe(0);
  });

  it('reports a task already terminal when first seen as finished, without a previous snapshot', () => {
    const differ = new TaskDiffer(toSnapshot);
    expect(differ.diff([{ id: 'done', state: 'cancelled' }])).toEqual([
      { type: 'finished', snapshot: { api: 'snapservice', id: 'done', state: 'cancelled' }, previous: undefined, item: { id: 'done', state: 'cancelled' } },
    ]);
  });

  it('carries the previous snapshot and the current item; disappeared carries the last seen ones', () => {
    const differ = new TaskDiffer(toSnapshot);
    const first = { id: 'a', state: 'running' as const, progress: 0.2 };
    const second = { id: 'a', state: 'running' as const, progress: 0.4 };
    differ.diff([first]);
    const [changed] = differ.diff([second]);
    expect(changed).toEqual({ type: 'changed', snapshot: toSnapshot(second), previous: toSnapshot(first), item: second });
    const [gone] = differ.diff([]);
    expect(gone).toEqual({ type: 'disappeared', snapshot: toSnapshot(second), item: second });
  });

  it('skips items without an id, counts a task listed twice once, and follows only `only` when given', () => {
    const differ = new TaskDiffer(toSnapshot, 'b');
    expect(summary(differ.diff([{ state: 'running' }, { id: 'a', state: 'running' }, { id: 'b', state: 'running' }, { id: 'b', state: 'failed' }]))).toEqual([
      'appeared b running',
    ]);
    expect(differ.size).toBe(1);
  });

  it('reports every transition exactly once, so replaying the events rebuilds what was listed', () => {
    // Listings of up to 6 tasks whose states move forward (never out of a terminal state), some
    // tasks coming and going between polls.
    const step = fc.record({ present: fc.boolean(), state: fc.constantFrom(...TASK_STATES), progress: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) });
    const history = fc.array(fc.array(step, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(history, (polls) => {
        const differ = new TaskDiffer(toSnapshot);
        const view = new Map<string, TaskSnapshot>();
        const truth = new Map<string, TaskSnapshot>();
        for (const listing of polls) {
          const rows: Row[] = [];
          listing.forEach((s, i) => {
            const id = `t${i}`;
            const known = truth.get(id);
            if (!s.present) return void truth.delete(id);
            // Once terminal, a task keeps its snapshot while it stays listed.
            const row: Row = known && isTerminalTaskState(known.state) ? { id, state: known.state, progress: known.progress } : { id, state: s.state, progress: s.progress };
            truth.set(id, toSnapshot(row)!);
            rows.push(row);
          });
          const events = differ.diff(rows);
          const ids = events.map((e) => e.snapshot.id);
          expect(new Set(ids).size).toBe(ids.length);
          for (const event of events) {
            const before = view.get(event.snapshot.id);
            switch (event.type) {
              case 'appeared':
                expect(before).toBeUndefined();
                expect(isTerminalTaskState(event.snapshot.state)).toBe(false);
                view.set(event.snapshot.id, event.snapshot);
                break;
              case 'changed':
                expect(event.previous).toEqual(before);
                expect(event.snapshot).not.toEqual(before);
                expect(isTerminalTaskState(event.snapshot.state)).toBe(false);
                view.set(event.snapshot.id, event.snapshot);
                break;
              case 'finished':
                expect(event.previous).toEqual(before);
                expect(before === undefined || !isTerminalTaskState(before.state)).toBe(true);
                expect(isTerminalTaskState(event.snapshot.state)).toBe(true);
                view.set(event.snapshot.id, event.snapshot);
                break;
              case 'disappeared':
                expect(event.snapshot).toEqual(before);
                view.delete(event.snapshot.id);
                break;
            }
          }
          expect(view).toEqual(truth);
          expect(differ.size).toBe(truth.size);
        }
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
