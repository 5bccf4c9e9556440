// Client, spec and server agree. Runs against Prism mocking the spec, or, with VELOSTRATA_URL
// set, against Prism proxying a real Velostrata Manager and validating every answer.
import { prefer, startContractTarget, violationsIn, type ContractTarget } from '@vmtasks/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVelostrataClient, VelostrataError, type VelostrataClient } from './index.js';

const upstream = process.env['VELOSTRATA_URL'];
let target: ContractTarget;
let client: VelostrataClient;

beforeAll(async () => {
  target = await startContractTarget('velostrata', upstream);
  client = createVelostrataClient({
    baseUrl: target.url,
    username: process.env['VELOSTRATA_USERNAME'] ?? 'apiuser',
    password: process.env['VELOSTRATA_PASSWORD'] ?? 'contract-subscription-id',
    retry: false,
  });
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
      expect(error).toMatchObject({ status: 401, errorCode: 'UNAUTHORIZED', message: 'Full authentication is required to access this resource' });
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

  it('wrong or missing credentials: Prism answers 401, surfaced as VelostrataError', async () => {
    const error = await client.listActiveTasks({ headers: { Authorization: 'Bearer not-basic' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VelostrataError);
    expect((error as VelostrataError).status).toBe(401);

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
