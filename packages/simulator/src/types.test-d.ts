// The public types follow the specs: a state the spec does not know is a compile error.
import { expectTypeOf, it } from 'vitest';
import type { Fault, Simulator, SnapserviceStep, VelostrataStep } from './index.js';
import type { TaskDescription, TaskStatus } from './spec-types.js';

it('scripted steps take only the spec’s states', () => {
  expectTypeOf<{ status: 'RUNNING'; progress: 10 }>().toMatchTypeOf<SnapserviceStep>();
  expectTypeOf<{ status: 'DONE' }>().not.toMatchTypeOf<SnapserviceStep>();
  expectTypeOf<{ state: 'Failing'; errorMessage: string[] }>().toMatchTypeOf<VelostrataStep>();
  expectTypeOf<{ state: 'Done' }>().not.toMatchTypeOf<VelostrataStep>();
  expectTypeOf<{ removed: true; afterMs: 5 }>().toMatchTypeOf<SnapserviceStep & VelostrataStep>();
  expectTypeOf<SnapserviceStep & { status: TaskStatus }>().toHaveProperty('status').toEqualTypeOf<TaskStatus>();
});

it('faults are a union a switch narrows', () => {
  const delay = (fault: Fault): number => {
    switch (fault.kind) {
      case 'slow':
        return fault.delayMs;
      case 'rate-limited':
        return (fault.retryAfterSeconds ?? 1) * 1000;
      default:
        return 0;
    }
  };
  expectTypeOf(delay).returns.toEqualTypeOf<number>();
  expectTypeOf<{ kind: 'slow' }>().not.toMatchTypeOf<Fault>();
});

it('tasks() returns the spec’s own types', () => {
  expectTypeOf<ReturnType<Simulator['velostrata']['tasks']>>().toEqualTypeOf<TaskDescription[]>();
  expectTypeOf<Simulator['snapservice']['sessionId']>().toEqualTypeOf<string>();
});
