// Client, spec and server agree. Runs against Prism mocking the spec, or, with VELOSTRATA_URL
// set, against Prism proxying a real Velostrata Manager and validating every answer.
import { prefer, startContractTarget, violationsIn, type ContractTarget } from '@vmtasks/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVelostrataClient, VelostrataError, type VelostrataClient } from './index.js';

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
  });

  describe.skipIf(Boolean(upstream))('documented responses, forced with Prefer', () => {
    it.each(['activeTasks', 'failedMigration', 'empty'])('200 example %s', async (name) => {
      const examples = target.examples('getActiveTasks', '200');
      const page = await client.listActiveTasks(prefer(`code=200, example=${name}`));
      expect(page).toEqual(examples[name]);
    });

    it('401: VelostrataError with the ErrorInfo of the spec', async () => {
      const error = await client.listActiveTasks(prefer('code=401')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VelostrataError);
      expect(error).toMatchObject({
        status: 401,
        errorCode: 'UNAUTHORIZED',
        message: 'Full authentication is required to access this resource',
      });
    });

    it('default: any other status is a VelostrataError too', async () => {
      const error = await client.listActiveTasks(prefer('code=500')).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'VelostrataError', status: 500, errorCode: 'INTERNAL_ERROR' });
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
