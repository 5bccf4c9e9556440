// Client, spec and server agree. Runs against Prism mocking the spec, or, with VELOSTRATA_URL
// set, against Prism proxying a real Velostrata Manager and validating every answer.
import { prefer, startContractTarget, violationsIn, type ContractTarget } from '@vmtasks/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVelostrataClient, VelostrataError, type PageRequest, type TaskDescriptionPage, type VelostrataClient } from './index.js';

const upstream = process.env['VELOSTRATA_URL'] || undefined;
let target: ContractTarget;
let client: VelostrataClient;

const username = process.env['VELOSTRATA_USERNAME'] || 'apiuser';
const password = process.env['VELOSTRATA_PASSWORD'] || 'contract-subscription-id';

beforeAll(async () => {
  target = await startContractTarget('velostrata', upstream);
  client = createVelostrataClient({ baseUrl: target.url, username, password, retry: false });
});

afterAll(async () => {
  if (!target) return; // beforeAll failed, and said why
  const untested = await target.finish();
  expect(untested, 'documented responses without a contract test').toEqual([]);
});

describe(`getActiveTasks (${upstream ? `proxy → ${upstream}` : 'Prism mock'})`, () => {
  it('200: the page decodes and follows the spec', async () => {
    const page = await client.listActiveTasks();
    expect(target.schemas.check('TaskDescriptionPage', page).errors).toEqual([]);
    target.coverage.hit('getActiveTasks', 200);
  });

  describe.skipIf(Boolean(upstream))('documented responses, forced with Prefer', () => {
    it.each(['activeTasks', 'failedMigration', 'empty'])('200 example %s', async (name) => {
      const examples = target.examples('getActiveTasks', '200');
      const page = await client.listActiveTasks(prefer(`code=200, example=${name}`));
      expect(page).toEqual(examples[name]);
      target.coverage.hit('getActiveTasks', 200);
    });

    it('401: VelostrataError with the ErrorInfo of the spec', async () => {
      const error = await client.listActiveTasks(prefer('code=401')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VelostrataError);
      expect(error).toMatchObject({
        status: 401,
        errorCode: 'UNAUTHORIZED',
        message: 'Full authentication is required to access this resource',
      });
      target.coverage.hit('getActiveTasks', 401);
    });

    it('default: any other status is a VelostrataError too', async () => {
      const error = await client.listActiveTasks(prefer('code=500')).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'VelostrataError', status: 500, errorCode: 'INTERNAL_ERROR' });
      target.coverage.hit('getActiveTasks', 'default');
    });

    it('dynamic: 50 seeded responses decode and follow the schema', async () => {
      for (let i = 0; i < 50; i++) {
        const page = await client.listActiveTasks(prefer('dynamic=true'));
        expect(target.schemas.check('TaskDescriptionPage', page).errors).toEqual([]);
      }
    });
  });

  it("wrong credentials: the server's 401, decoded as VelostrataError", async () => {
    // Well-formed Basic credentials pass Prism's security check, so in proxy mode the real server
    // judges them, and its 401 must follow the spec (Prism would turn a breaking one into a 500).
    // The mock cannot tell a wrong password from a right one: it answers the spec's documented 401.
    const wrong = createVelostrataClient({ baseUrl: target.url, username, password: `not-${password}`, retry: false });
    const error = await wrong.listActiveTasks(target.mode === 'mock' ? prefer('code=401') : {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelostrataError);
    expect(error).toMatchObject({ status: 401, errorCode: expect.any(String), message: expect.any(String) });
    expect((error as VelostrataError).body).not.toHaveProperty('title'); // not a Prism problem+json
  });

  it('missing credentials: Prism refuses with 401 before any server sees the request', async () => {
    const { error: body, response } = await client.raw.GET('/tasks', { headers: { Authorization: null } });
    expect(response.status).toBe(401);
    if (target.mode === 'mock') {
      expect(body).toMatchObject({ errorCode: expect.any(String) });
      expect(response.headers.get('sl-violations')).toContain('Invalid security scheme');
    } else {
      // Prism enforces the security requirement before proxying: the request never reaches the server.
      expect(body).toMatchObject({ title: 'Invalid security scheme used', status: 401 });
    }
  });

  it('reports no contract violation for a plain call', async () => {
    const { error, response } = await client.raw.GET('/tasks');
    expect(violationsIn(error), 'Prism found the response outside the contract').toEqual([]);
    expect(response.status).toBe(200);
    expect(response.headers.get('sl-violations')).toBeNull();
  });
});

/** Each documented error status of an operation, forced with Prefer, decodes as VelostrataError with the spec's ErrorInfo. */
function errorStatuses(operation: string, call: (status: number) => Promise<unknown>, statuses: number[]): void {
  it.each(statuses)(`${operation} %i: VelostrataError with the spec's ErrorInfo`, async (status) => {
    const error = await call(status).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelostrataError);
    const example = target.examples(operation, String(status === 500 ? 'default' : status))['example'] as { errorCode: string };
    expect(error).toMatchObject({ status, operation, errorCode: example.errorCode });
    target.coverage.hit(operation, status === 500 ? 'default' : status);
  });
}

describe.skipIf(Boolean(upstream))('getTask (Prism mock)', () => {
  it.each(['running', 'succeeded'])('200 example %s: the TaskDescription of the spec', async (name) => {
    const task = await client.getTask('task-42', prefer(`code=200, example=${name}`));
    expect(task).toEqual(target.examples('getTask', '200')[name]);
    expect(target.schemas.check('TaskDescription', task).errors).toEqual([]);
    target.coverage.hit('getTask', 200);
  });
  errorStatuses('getTask', (status) => client.getTask('task-42', prefer(`code=${status}`)), [401, 403, 404, 500]);
});

describe.skipIf(Boolean(upstream))('cancelTask (Prism mock)', () => {
  it("202: 'accepted', 204: 'already-ended', no body either way", async () => {
    expect(await client.cancelTask('task-42', prefer('code=202'))).toBe('accepted');
    target.coverage.hit('cancelTask', 202);
    expect(await client.cancelTask('task-42', prefer('code=204'))).toBe('already-ended');
    target.coverage.hit('cancelTask', 204);
  });
  errorStatuses('cancelTask', (status) => client.cancelTask('task-42', prefer(`code=${status}`)), [401, 403, 404, 500]);
});

describe.skipIf(Boolean(upstream))('listTasks (Prism mock)', () => {
  it('200: a request with each kind of filter is accepted, and the page decodes', async () => {
    const requests: PageRequest[] = [
      {},
      { page: 0, size: 50, filter: { _type: 'TaskStateFilter', state: ['Failed', 'Cancelled'] } },
      { filter: { _type: 'IdFilter', ids: [{ value: 'task-42', _type: 'TaskId' }] } },
      { filter: { _type: 'TaskEntityIdFilter', id: { value: 'vm-17', _type: 'VmId' } } },
    ];
    for (const request of requests) {
      const page = await client.listTasks(request, prefer('code=200, example=history'));
      expect(page).toEqual(target.examples('listTasks', '200')['history']);
      target.coverage.hit('listTasks', 200);
    }
  });

  it('a filter outside the union is refused by the server (Prism validates the body)', async () => {
    const bad = await client.listTasks({ filter: { _type: 'NameFilter' } as never }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ name: 'VelostrataError', status: 422 });
  });

  it('iterateTasks over the mock: one page whose number is the one asked for', async () => {
    const seen = [];
    for await (const task of client.iterateTasks({ page: 1 }, prefer('code=200, example=history'))) seen.push(task);
    expect(seen).toEqual((target.examples('listTasks', '200')['history'] as TaskDescriptionPage).content);
  });
  errorStatuses('listTasks', (status) => client.listTasks({}, prefer(`code=${status}`)), [401, 403, 500]);
});

describe('read-only calls against the target', () => {
  it('getTask of an unknown id: 404 VelostrataError (mock: the documented example)', async () => {
    const error = await client.getTask('task-404-unknown', target.mode === 'mock' ? prefer('code=404') : {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VelostrataError', status: 404 });
  });

  it('listTasks first page: decodes and follows the spec', async () => {
    const page = await client.listTasks({ page: 0, size: 10 });
    expect(target.schemas.check('TaskDescriptionPage', page).errors).toEqual([]);
  });
});
