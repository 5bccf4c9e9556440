import { describe, expectTypeOf, it } from 'vitest';
import { createVelostrataClient, toSnapshot, type TaskDescription, type TaskSnapshot, type WatchEvent } from './index.js';

const client = createVelostrataClient({ baseUrl: 'https://mgr.example.com/velostrata/api/v42', password: 'p' });

describe('waiting and watching types', () => {
  it('types the wait result, the events and toSnapshot with the client’s own task', async () => {
    expectTypeOf(client.waitForTask('task-1', { maxWaitMs: 1 })).toEqualTypeOf<Promise<TaskDescription>>();
    expectTypeOf(toSnapshot).returns.toEqualTypeOf<TaskSnapshot>();
    for await (const event of client.watchTasks({ minIntervalMs: 500 })) {
      expectTypeOf(event).toEqualTypeOf<WatchEvent<TaskDescription>>();
      if (event.type === 'stalled') expectTypeOf(event.since).toEqualTypeOf<string>();
      if (event.type === 'changed') {
        expectTypeOf(event.item.errorDetails).toEqualTypeOf<string | undefined>();
        expectTypeOf(event.previous).toEqualTypeOf<TaskSnapshot>();
      }
    }
    // @ts-expect-error the Velostrata active list takes no filter
    void client.watchTasks({ tasks: ['task-1'] });
  });
});
