import { describe, expectTypeOf, it } from 'vitest';
import { createVelostrataClient, VelostrataError, type TaskDescriptionPage, type TaskState, type TaskType } from './index.js';

describe('velostrata types', () => {
  it('types the page without casts', async () => {
    const client = createVelostrataClient({ baseUrl: 'https://mgr.example.com/velostrata/api/v42', password: 'p' });
    const page = await client.listActiveTasks();
    expectTypeOf(page).toEqualTypeOf<TaskDescriptionPage>();
    expectTypeOf(page._type).toEqualTypeOf<'TaskDescriptionPage'>();
    const task = page.content?.[0];
    expectTypeOf(task?.state).toEqualTypeOf<TaskState | undefined>();
    expectTypeOf(task?.progress).toEqualTypeOf<number | undefined>();
  });

  it('keeps task types open: known ones complete, new ones are accepted', () => {
    const known: TaskType = 'RunVmInCloud';
    const added: TaskType = 'ReplicateToRegion';
    expectTypeOf(known).toExtend<string>();
    expectTypeOf(added).toExtend<string>();
    // @ts-expect-error task states are closed
    const state: TaskState = 'Exploded';
    void state;
  });

  it('requires a password, and exposes errorCode on errors', () => {
    // @ts-expect-error password (the subscription ID) is required
    createVelostrataClient({ baseUrl: 'https://mgr.example.com/velostrata/api/v42' });
    const error = new VelostrataError(401, {}, { operation: 'getActiveTasks', method: 'GET', url: 'u' });
    expectTypeOf(error.errorCode).toEqualTypeOf<string | undefined>();
    expectTypeOf(error.status).toEqualTypeOf<number>();
  });
});
