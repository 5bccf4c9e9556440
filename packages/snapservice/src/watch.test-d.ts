import { describe, expectTypeOf, it } from 'vitest';
import {
  createSnapserviceClient,
  toSnapshot,
  type ListItem,
  type TaskInfo,
  type TaskSnapshot,
  type WaitError,
  type WatchEvent,
  type WatchCheckpoint,
  type WatchOptions,
  type WatchTasksOptions,
} from './index.js';

const client = createSnapserviceClient({ baseUrl: 'https://snap.example.com', sessionId: 's' });

describe('waiting and watching types', () => {
  it('types the wait result, the events and toSnapshot with the client’s own task', async () => {
    expectTypeOf(client.waitForTask('t-1')).toEqualTypeOf<Promise<TaskInfo>>();
    expectTypeOf(client.watchTasks).parameter(1).toEqualTypeOf<WatchTasksOptions | undefined>();
    expectTypeOf(client.watchTasks({ tasks: ['t-1'] }).checkpoint()).toEqualTypeOf<WatchCheckpoint>();
    expectTypeOf<WatchOptions['onProgress']>().toEqualTypeOf<((snapshot: TaskSnapshot) => void) | undefined>();
    expectTypeOf(toSnapshot).parameter(0).toEqualTypeOf<ListItem>();
    for await (const event of client.watchTasks({ services: ['com.vmware.snapservice.protection_group'] })) {
      expectTypeOf(event).toEqualTypeOf<WatchEvent<ListItem>>();
      switch (event.type) {
        case 'finished':
          expectTypeOf(event.item.info).toEqualTypeOf<TaskInfo>();
          expectTypeOf(event.previous).toEqualTypeOf<TaskSnapshot | undefined>();
          break;
        case 'transient-failure':
          expectTypeOf(event.failures).toBeNumber();
          break;
        case 'polled':
        case 'stalled':
        case 'recovered':
          // @ts-expect-error a poll notice carries no task
          void event.item;
          break;
        default:
          expectTypeOf(event.snapshot).toEqualTypeOf<TaskSnapshot>();
      }
    }
  });

  it('narrows the wait errors with a switch on name', () => {
    const explain = (error: WaitError<ListItem>): string => {
      switch (error.name) {
        case 'TaskFailedError':
          return String(error.item?.info.error);
        case 'WaitTimeoutError':
          return `${error.maxWaitMs}`;
        case 'TaskNotFoundError':
        case 'TaskCancelledError':
        case 'TaskOutcomeUnknownError':
          return error.taskId ?? '';
        default:
          expectTypeOf(error).toEqualTypeOf<never>();
          return error;
      }
    };
    void explain;
  });
});
