import { describe, expectTypeOf, it } from 'vitest';
import {
  createSnapserviceClient,
  parameterRules,
  SnapserviceError,
  type ListResult,
  type TaskFilterFields,
  type TaskInfo,
  type TaskStatus,
  type VapiErrorType,
} from './index.js';

const client = createSnapserviceClient({ baseUrl: 'https://snap.example.com', sessionId: 's' });

describe('listTasks types', () => {
  it('types results without casts', async () => {
    const result = await client.listTasks({ services: ['com.vmware.snapservice.protection_group'], status: ['RUNNING'] });
    expectTypeOf(result).toEqualTypeOf<ListResult>();
    const info = result.items[0]!.info;
    expectTypeOf(info).toEqualTypeOf<TaskInfo>();
    expectTypeOf(info.status).toEqualTypeOf<TaskStatus>();
    expectTypeOf(info.cancelable).toEqualTypeOf<boolean>();
    expectTypeOf(info.progress?.completed).toEqualTypeOf<number | undefined>();
  });

  it('rejects an invalid status and an unknown filter key at compile time', () => {
    // @ts-expect-error 'DONE' is not a TaskStatus
    void client.listTasks({ tasks: ['t'], status: ['DONE'] });
    // @ts-expect-error `state` is not a field of Tasks.FilterSpec
    void client.listTasks({ tasks: ['t'], state: ['RUNNING'] });
    // @ts-expect-error filters are arrays
    void client.listTasks({ tasks: ['t'], users: 'root' });
    expectTypeOf<TaskFilterFields>().toEqualTypeOf<{
      tasks?: string[];
      services?: string[];
      operations?: string[];
      status?: TaskStatus[];
      users?: string[];
    }>();
  });

  it('requires tasks or services, as a non-empty array (the spec\'s x-vmtasks-require-any-of)', () => {
    // @ts-expect-error a filter is required
    void client.listTasks();
    // @ts-expect-error neither tasks nor services
    void client.listTasks({ status: ['RUNNING'] });
    // @ts-expect-error neither tasks nor services
    void client.listTasks({});
    // @ts-expect-error an empty array names nothing
    void client.listTasks({ tasks: [] });
    // @ts-expect-error an empty array names nothing
    void client.listTasks({ services: [], status: ['RUNNING'] });
    void client.listTasks({ tasks: ['t-1'] });
    void client.listTasks({ services: ['com.vmware.snapservice.protection_group'], status: ['RUNNING'] });
    void client.listTasks({ tasks: ['t-1'], services: [] });
    const ids: string[] = ['t-1'];
    // @ts-expect-error a plain string[] may be empty: check it first
    void client.listTasks({ tasks: ids });
    const [first, ...rest] = ids;
    if (first !== undefined) void client.listTasks({ tasks: [first, ...rest] });
    expectTypeOf(parameterRules.listTasks.requireAnyOf).toEqualTypeOf<readonly ['tasks', 'services']>();
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
