import { describe, expectTypeOf, it } from 'vitest';
import type { VmtasksError } from '../errors.js';
import type { TaskFailedError, TaskWaitError, WaitError } from './errors.js';
import type { TaskEvent, WatchEvent } from './events.js';
import type { TaskSnapshot } from './snapshot.js';

interface Item {
  own: true;
}

describe('watch types', () => {
  it('narrows a WatchEvent with a switch on type', () => {
    const check = (event: WatchEvent<Item>): string => {
      switch (event.type) {
        case 'appeared':
          expectTypeOf(event.item).toEqualTypeOf<Item>();
          // @ts-expect-error an appeared task has no previous snapshot
          void event.previous;
          return event.snapshot.id;
        case 'changed':
          expectTypeOf(event.previous).toEqualTypeOf<TaskSnapshot>();
          return event.snapshot.state;
        case 'finished':
          expectTypeOf(event.previous).toEqualTypeOf<TaskSnapshot | undefined>();
          return event.snapshot.state;
        case 'disappeared':
          // undefined for a task that left while a resumed watch was stopped
          expectTypeOf(event.item).toEqualTypeOf<Item | undefined>();
          return event.snapshot.id;
        case 'transient-failure':
          expectTypeOf(event.error).toEqualTypeOf<VmtasksError>();
          expectTypeOf(event.failures).toEqualTypeOf<number>();
          // @ts-expect-error a failure notice is not about one task
          void event.snapshot;
          return String(event.retryInMs);
        case 'polled':
          expectTypeOf(event.at).toEqualTypeOf<string>();
          return String(event.count);
        case 'stalled':
          expectTypeOf(event.lastError).toEqualTypeOf<VmtasksError>();
          return event.since;
        case 'recovered':
          return event.at;
        default:
          expectTypeOf(event).toEqualTypeOf<never>();
          return event;
      }
    };
    void check;
    expectTypeOf<TaskEvent<Item>['type']>().toEqualTypeOf<'appeared' | 'changed' | 'finished' | 'disappeared'>();
  });

  it('narrows a WaitError with a switch on name', () => {
    const check = (error: WaitError<Item>): number | string | undefined => {
      switch (error.name) {
        case 'TaskFailedError':
          expectTypeOf(error).toEqualTypeOf<TaskFailedError<Item>>();
          return error.snapshot?.error;
        case 'WaitTimeoutError':
          return error.maxWaitMs;
        case 'TaskCancelledError':
        case 'TaskNotFoundError':
        case 'TaskOutcomeUnknownError':
          // @ts-expect-error only a timeout has maxWaitMs
          void error.maxWaitMs;
          expectTypeOf(error.item).toEqualTypeOf<Item | undefined>();
          return error.taskId;
        default:
          expectTypeOf(error).toEqualTypeOf<never>();
          return error;
      }
    };
    void check;
    expectTypeOf<WaitError>().toMatchTypeOf<TaskWaitError>();
    expectTypeOf<WaitError>().toMatchTypeOf<VmtasksError>();
  });
});
