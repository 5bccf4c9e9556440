import { describe, expectTypeOf, it } from 'vitest';
import { createSnapserviceClient, SnapserviceError, type ListResult, type TaskInfo, type TaskStatus, type VapiErrorType } from './index.js';

const client = createSnapserviceClient({ baseUrl: 'https://snap.example.com', sessionId: 's' });

describe('listTasks types', () => {
  it('types results without casts', async () => {
    const result = await client.listTasks({ status: ['RUNNING'] });
    expectTypeOf(result).toEqualTypeOf<ListResult>();
    const info = result.items[0]!.info;
    expectTypeOf(info).toEqualTypeOf<TaskInfo>();
    expectTypeOf(info.status).toEqualTypeOf<TaskStatus>();
    expectTypeOf(info.cancelable).toEqualTypeOf<boolean>();
    expectTypeOf(info.progress?.completed).toEqualTypeOf<number | undefined>();
  });

  it('rejects an invalid status and an unknown filter key at compile time', () => {
    // @ts-expect-error 'DONE' is not a TaskStatus
    void client.listTasks({ status: ['DONE'] });
    // @ts-expect-error `state` is not a field of Tasks.FilterSpec
    void client.listTasks({ state: ['RUNNING'] });
    // @ts-expect-error filters are arrays
    void client.listTasks({ users: 'root' });
    expectTypeOf(client.listTasks)
      .parameter(0)
      .toEqualTypeOf<
        { tasks?: string[]; services?: string[]; operations?: string[]; status?: TaskStatus[]; users?: string[] } | undefined
      >();
  });

  it('narrows on errorType', () => {
    const error = new SnapserviceError(401, {}, { operation: 'listTasks', method: 'GET', url: 'https://snap.example.com' });
    expectTypeOf(error.errorType).toEqualTypeOf<VapiErrorType>();
    if (error.errorType === 'UNAUTHENTICATED') {
      expectTypeOf(error.errorType).toEqualTypeOf<'UNAUTHENTICATED'>();
      expectTypeOf(error.challenge).toEqualTypeOf<string | undefined>();
    }
    // @ts-expect-error not one of the 25 standard errors
    if (error.errorType === 'NOT_A_VAPI_ERROR') return;
  });

  it('types the raw client from the spec', async () => {
    const { data } = await client.raw.GET('/api/snapservice/tasks', { params: { query: { status: ['FAILED'] } } });
    expectTypeOf(data).toEqualTypeOf<ListResult | undefined>();
    // @ts-expect-error the spec has no such path
    void client.raw.GET('/api/snapservice/jobs');
  });
});
