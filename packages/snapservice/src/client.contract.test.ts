// Client, spec and server agree. Runs against Prism mocking the spec, or, with SNAPSERVICE_URL
// set, against Prism proxying a real snapservice and validating every answer.
import fc from 'fast-check';
import { prefer, startContractTarget, violationsIn, type ContractTarget } from '@vmtasks/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskStatusValues } from './generated/openapi.js';
import {
  createSnapserviceClient,
  InvalidRequestError,
  parameterRules,
  SnapserviceError,
  type SnapserviceClient,
  type TaskFilter,
  type TaskFilterFields,
  type VapiErrorType,
} from './index.js';

const upstream = process.env['SNAPSERVICE_URL'] || undefined;
let target: ContractTarget;
let client: SnapserviceClient;

const sessionId = process.env['SNAPSERVICE_SESSION_ID'] || 'contract-session';

beforeAll(async () => {
  target = await startContractTarget('snapservice', upstream);
  client = createSnapserviceClient({
    baseUrl: target.url,
    sessionId,
    authorization: process.env['SNAPSERVICE_AUTHORIZATION'] || undefined,
    retry: false,
  });
});

afterAll(async () => {
  if (!target) return; // beforeAll failed, and said why
  const untested = await target.finish();
  expect(untested, 'documented responses without a contract test').toEqual([]);
});

describe(`listTasks (${upstream ? `proxy → ${upstream}` : 'Prism mock'})`, () => {
  it('200: the result decodes and follows the spec, with and without filters', async () => {
    const filters: TaskFilter[] = [
      { services: ['com.vmware.snapservice.protection_group'] },
      { tasks: ['52f1d3a2-7c0e-4d1b-9a55-5f3c2b1e9d10:com.vmware.snapservice.protection_group'] },
      { services: ['com.vmware.snapservice.protection_group'], status: ['RUNNING', 'FAILED'] },
      { services: ['com.vmware.snapservice.protection_group'], users: ['VSPHERE.LOCAL\\Administrator'] },
    ];
    for (const filter of filters) {
      const result = await client.listTasks(filter);
      expect(target.schemas.check('ListResult', result).errors).toEqual([]);
    }
    target.coverage.hit('listTasks', 200);
  });

  describe.skipIf(Boolean(upstream))('documented responses, forced with Prefer', () => {
    it.each(['reference', 'failedTask', 'pendingTask'])('200 example %s', async (name) => {
      const examples = target.examples('listTasks', '200');
      expect(await client.listTasks({ services: ['svc'] }, prefer(`code=200, example=${name}`))).toEqual(examples[name]);
      target.coverage.hit('listTasks', 200);
    });

    const errors: { status: number; example: string; errorType: VapiErrorType; message: string }[] = [
      { status: 400, example: '', errorType: 'INVALID_ARGUMENT', message: 'Invalid value DONE for parameter status.' },
      { status: 401, example: '', errorType: 'UNAUTHENTICATED', message: 'Unable to authenticate user' },
      {
        status: 403,
        example: '',
        errorType: 'UNAUTHORIZED',
        message: 'User VSPHERE.LOCAL\\auditor is not authorized to list snapservice tasks.',
      },
      { status: 500, example: 'error', errorType: 'ERROR', message: 'An internal error occurred.' },
      {
        status: 500,
        example: 'resourceInaccessible',
        errorType: 'RESOURCE_INACCESSIBLE',
        message: 'More than 1000 tasks match the filter.',
      },
      {
        status: 503,
        example: '',
        errorType: 'SERVICE_UNAVAILABLE',
        message: 'Service com.vmware.snapservice.protection_group is unavailable.',
      },
    ];
    it.each(errors)('$status $example → SnapserviceError $errorType', async ({ status, example, errorType, message }) => {
      const error = await client
        .listTasks({ services: ['svc'] }, prefer(`code=${status}${example ? `, example=${example}` : ''}`))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SnapserviceError);
      expect(error).toMatchObject({ status, errorType, message });
      target.coverage.hit('listTasks', status);
    });

    it('401 carries the challenge', async () => {
      const error = (await client.listTasks({ services: ['svc'] }, prefer('code=401')).catch((e: unknown) => e)) as SnapserviceError;
      expect(error.challenge).toMatch(/^SIGN realm="snapservice"/);
    });

    it('default: an undocumented status is a SnapserviceError with the body of the default response', async () => {
      const error = await client.listTasks({ services: ['svc'] }, prefer('code=404')).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'SnapserviceError', status: 404, errorType: 'NOT_FOUND', message: 'Not found.' });
      target.coverage.hit('listTasks', 'default');
    });

    it('dynamic: 50 seeded responses decode and follow the schema', async () => {
      for (let i = 0; i < 50; i++) {
        const result = await client.listTasks({ services: ['svc'] }, prefer('dynamic=true'));
        expect(target.schemas.check('ListResult', result).errors).toEqual([]);
      }
    });

    it('an invalid filter sent through client.raw is refused with the validation detail', async () => {
      const { error, response } = await client.raw.GET('/api/snapservice/tasks', {
        // @ts-expect-error the types forbid it too; Prism must refuse it on its own
        params: { query: { status: ['DONE'] } },
      });
      // The spec documents 400 (invalid_argument) for bad parameters, so Prism answers with it
      // rather than its own 422, and lists what was wrong in `sl-violations`.
      expect(response.status).toBe(400);
      expect(error).toMatchObject({ error_type: 'INVALID_ARGUMENT' });
      const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]') as { location: string[]; message: string }[];
      expect(violations).toContainEqual(expect.objectContaining({ location: ['request', 'query', 'status', '0'] }));
      expect(violations[0]?.message).toMatch(/allowed values/);
    });

    it('repeated filter values are refused (uniqueItems)', async () => {
      const { response } = await client.raw.GET('/api/snapservice/tasks', { params: { query: { status: ['RUNNING', 'RUNNING'] } } });
      expect(response.status).toBe(400);
      expect(response.headers.get('sl-violations')).toContain('duplicate');
    });

    it('property: Prism never finds a violation in any valid filter the client sends', async () => {
      const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 3 });
      const filter: fc.Arbitrary<TaskFilterFields> = fc.record(
        {
          tasks: ids,
          services: ids,
          operations: ids,
          users: ids,
          status: fc.uniqueArray(fc.constantFrom(...taskStatusValues), { maxLength: 5 }),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(filter, async (query) => {
          const { error, response } = await client.raw.GET('/api/snapservice/tasks', { params: { query } });
          expect(response.headers.get('sl-violations'), JSON.stringify(query)).toBeNull();
          expect(error).toBeUndefined();
          expect(response.status).toBe(200);
        }),
        { seed: 20261123, numRuns: 60 },
      );
    });
  });

  it('the filter rule (x-vmtasks-require-any-of): the client refuses what a real appliance would, and sends the rest', async () => {
    const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 2 });
    const fields: fc.Arbitrary<TaskFilterFields> = fc.record(
      {
        tasks: ids,
        services: ids,
        operations: ids,
        users: ids,
        status: fc.uniqueArray(fc.constantFrom(...taskStatusValues), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    const named = (filter: TaskFilterFields) => parameterRules.listTasks.requireAnyOf.some((key) => (filter[key]?.length ?? 0) > 0);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fields, async (filter) => {
        // The cast is the point: a caller without the types (or with `as`) gets the run-time check.
        const outcome = await client.listTasks(filter as TaskFilter).catch((e: unknown) => e);
        if (named(filter)) {
          expect(outcome, JSON.stringify(filter)).toMatchObject({ items: expect.any(Array) });
        } else {
          refused++;
          expect(outcome, JSON.stringify(filter)).toBeInstanceOf(InvalidRequestError);
          expect((outcome as InvalidRequestError).message).toMatch(/`tasks` or `services`/);
        }
      }),
      { seed: 20261124, numRuns: 40 },
    );
    expect(refused, 'the generator must exercise the rule').toBeGreaterThan(0);
  });

  it("wrong credentials: the server's 401 UNAUTHENTICATED with its challenge, decoded as SnapserviceError", async () => {
    // Any session id passes Prism's security check, so in proxy mode the real server judges it, and
    // its 401 must follow the spec. The mock cannot tell a wrong session: it answers the spec's 401.
    const wrong = createSnapserviceClient({ baseUrl: target.url, sessionId: `not-${sessionId}`, retry: false });
    const error = await wrong.listTasks({ services: ['svc'] }, target.mode === 'mock' ? prefer('code=401') : {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapserviceError);
    expect(error).toMatchObject({ status: 401, errorType: 'UNAUTHENTICATED', challenge: expect.any(String) });
  });

  it('missing credentials: Prism refuses with 401 before any server sees the request', async () => {
    // A client always has a credential (createSnapserviceClient refuses none); raw can drop it.
    const { error, response } = await client.raw.GET('/api/snapservice/tasks', {
      params: { query: { services: ['svc'] } },
      headers: { 'vmware-api-session-id': null, Authorization: null },
    });
    expect(response.status).toBe(401);
    if (target.mode === 'mock') expect(error).toMatchObject({ error_type: 'UNAUTHENTICATED' });
    else expect(error).toMatchObject({ title: 'Invalid security scheme used', status: 401 });
  });

  it('reports no contract violation for a plain call', async () => {
    const { error, response } = await client.raw.GET('/api/snapservice/tasks', {
      params: { query: { services: ['com.vmware.snapservice.protection_group'] } },
    });
    expect(violationsIn(error), 'Prism found the response outside the contract').toEqual([]);
    expect(response.status).toBe(200);
  });

  // Prism cannot know a rule between parameters; a real appliance (or the simulator) enforces it.
  it.skipIf(!upstream)('the server refuses a filter without tasks or services: 400 INVALID_ARGUMENT, in the contract', async () => {
    const { error, response } = await client.raw.GET('/api/snapservice/tasks', { params: { query: { status: ['RUNNING'] } } });
    expect(violationsIn(error), 'Prism found the response outside the contract').toEqual([]);
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ error_type: 'INVALID_ARGUMENT' });
  });
});

/** Each documented error status of an operation, forced with Prefer: a SnapserviceError with the spec's vAPI error type. */
function errorStatuses(
  operation: string,
  call: (options: { headers: { Prefer: string } }) => Promise<unknown>,
  statuses: (number | 'default')[],
): void {
  it.each(statuses)(`${operation} %s: SnapserviceError with the spec's error`, async (status) => {
    const code = status === 'default' ? 409 : status;
    const error = await call(prefer(`code=${code}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapserviceError);
    const examples = Object.values(target.examples(operation, String(status))) as { error_type: VapiErrorType }[];
    expect(examples.map((example) => example.error_type)).toContain((error as SnapserviceError).errorType);
    expect(error).toMatchObject({ status: code, operation });
    target.coverage.hit(operation, status);
  });
}

describe.skipIf(Boolean(upstream))('getTask (Prism mock)', () => {
  it('200: the TaskInfo of the spec', async () => {
    const info = await client.getTask('52f1d3a2-7c0e-4d1b-9a55-5f3c2b1e9d10:com.vmware.snapservice.protection_group', prefer('code=200'));
    expect(info).toEqual(target.examples('getTask', '200')['running']);
    expect(target.schemas.check('TaskInfo', info).errors).toEqual([]);
    target.coverage.hit('getTask', 200);
  });
  errorStatuses('getTask', (options) => client.getTask('t-1', options), [401, 403, 404, 500, 503, 'default']);
});

describe.skipIf(Boolean(upstream))('sessions (Prism mock)', () => {
  const login = (headers: Record<string, string> = {}) =>
    createSnapserviceClient({ baseUrl: target.url, username: 'ops@vsphere.local', password: 'contract-password', headers, retry: false });

  it('201 → 200 → 204: log in with Basic, read the session with the token, log out', async () => {
    const user = login();
    await user.login();
    target.coverage.hit('createSession', 201);
    expect(await user.getSession()).toEqual(target.examples('getSession', '200')['example']);
    target.coverage.hit('getSession', 200);
    await user.logout();
    target.coverage.hit('deleteSession', 204);
    await user.close();
  });

  it.each([401, 503, 'default'] as const)("createSession %s: the login's SnapserviceError", async (status) => {
    const code = status === 'default' ? 500 : status;
    const error = await login({ Prefer: `code=${code}` })
      .login()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SnapserviceError', status: code, operation: 'createSession' });
    target.coverage.hit('createSession', status);
  });
  errorStatuses('getSession', (options) => client.getSession(options), [401, 503, 'default']);
  errorStatuses('deleteSession', (options) => client.logout(options), [401, 503, 'default']);
});
