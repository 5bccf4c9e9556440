// Never drifts: whole scenarios (every state, every error, every fault, every kind of filter) go
// through Prism in proxy mode with request and response validation — the contract target the
// contract tests use — and every snapservice answer also follows the vendor's facts (testkit's
// vendor-facts/snapservice.yaml: required fields, statuses, the error types of each status) and,
// where the vendor's description is (VMTASKS_OFFICIAL_DIR), validates against its schemas. Every
// operation: the lists, one task, the paged list with each kind of filter, cancelling, the sessions.
import {
  loadSpecSchemas,
  loadVendorFacts,
  officialDir,
  specOf,
  startPrism,
  violationsIn,
  type PrismServer,
  type SpecSchemas,
  type VendorFacts,
} from '@vmtasks/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index.js';
import type { ListResult, TaskDescriptionPage, VapiError } from './spec-types.js';
import { CANCEL_MS } from './velostrata-appliance.js';
import { ALL_SERVICES, basic, call, snapserviceTasks, velostrataTasks, type Answer, type Query } from './test-support/requests.js';
import type { Fault, Simulator } from './types.js';

const BULK_SERVICE = 'com.example.bulk';

let sim: Simulator;
let velostrata: PrismServer;
let snapservice: PrismServer;
let facts: VendorFacts;
/** The vendor's own schemas, where its description is; otherwise the facts alone are checked. */
let official: SpecSchemas | undefined;
let ours: { velostrata: SpecSchemas; snapservice: SpecSchemas };
const checked = { velostrata: 0, snapservice: 0 };

beforeAll(async () => {
  sim = await startSimulator({ clock: 'manual', seed: 11, size: { vms: 8, snapshots: 10 } });
  const [velostrataSpec, snapserviceSpec] = await Promise.all([specOf('velostrata'), specOf('snapservice')]);
  velostrata = await startPrism({ spec: velostrataSpec, upstream: sim.velostrata.url });
  snapservice = await startPrism({ spec: snapserviceSpec, upstream: sim.snapservice.url });
  facts = await loadVendorFacts('snapservice');
  const vendor = officialDir();
  if (vendor.present) official = await loadSpecSchemas(vendor.file('snapservice-official.yaml'));
  else console.log(`skipped the checks against the vendor's snapservice schemas: no ${vendor.dir} (${vendor.variable})`);
  ours = { velostrata: await loadSpecSchemas(velostrataSpec), snapservice: await loadSpecSchemas(snapserviceSpec) };
});

afterAll(async () => {
  await Promise.all([velostrata?.close(), snapservice?.close()]);
  await sim?.stop();
});

/** Prism found nothing wrong with the request or the simulator's answer. */
function expectClean(answer: Answer, status: number): void {
  expect(answer.headers.get('sl-violations'), answer.text).toBeNull();
  expect(violationsIn(answer.body), answer.text).toEqual([]);
  expect(answer.status, answer.text).toBe(status);
}

function officialErrorSchema(errorType: string): string {
  return `Vapi.Std.Errors.${errorType.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, letter: string) => letter.toUpperCase())}`;
}

/** Through Prism, clean, the same as straight from the simulator, and valid for our spec and the vendor's. */
async function snapserviceThroughPrism(query: Query, status: number, headers?: Record<string, string>): Promise<Answer> {
  const answer = await snapserviceTasks(sim, query, snapservice.url, headers);
  expectClean(answer, status);
  if (status === 200) {
    expect(ours.snapservice.check('ListResult', answer.body).errors).toEqual([]);
    expect(facts.schemas.check('ListResult', answer.body).errors).toEqual([]);
    if (official) expect(official.check('Snapservice.Tasks.ListResult', answer.body).errors).toEqual([]);
  } else {
    const errorType = (answer.body as VapiError).error_type;
    const errorSchema = status === 401 || status === 403 ? 'VapiErrorWithChallenge' : 'VapiError';
    expect(ours.snapservice.check(errorSchema, answer.body).errors).toEqual([]);
    expect(facts.schemas.check(errorSchema, answer.body).errors).toEqual([]);
    // A status the vendor documents carries one of the error types it names for it (429 is ours).
    const named = facts.operations.find((operation) => operation.operationId === 'Snapservice.Tasks_list')?.errorTypes[String(status)];
    if (named) expect(named, `${status}`).toContain(errorType);
    if (official) expect(official.check(officialErrorSchema(errorType), answer.body).errors, officialErrorSchema(errorType)).toEqual([]);
  }
  checked.snapservice++;
  return answer;
}

async function velostrataThroughPrism(status: number, authorization?: string): Promise<Answer> {
  const answer = await velostrataTasks(sim, velostrata.url, authorization);
  expectClean(answer, status);
  expect(ours.velostrata.check(status === 200 ? 'TaskDescriptionPage' : 'ErrorInfo', answer.body).errors).toEqual([]);
  checked.velostrata++;
  return answer;
}

describe('through Prism (proxy mode, validation on)', () => {
  it('a whole wave of both appliances, polled with every kind of filter, never breaks the contract', async () => {
    const velostrataStates = new Set<string>();
    const snapserviceStatuses = new Set<string>();
    let ids: string[] = [];
    const filters = (): Query[] => [
      ALL_SERVICES,
      { ...ALL_SERVICES, status: ['RUNNING', 'BLOCKED'] },
      { ...ALL_SERVICES, operations: ['snapshot'], users: ['VSPHERE.LOCAL\\Administrator', 'VSPHERE.LOCAL\\snapservice-scheduler'] },
      ...(ids.length ? [{ tasks: ids.slice(0, 3) }, { tasks: ids.slice(0, 2), status: ['FAILED', 'SUCCEEDED'] } as Query] : []),
    ];
    for (let t = 0; t <= 25 * 60_000; t += 15_000) {
      const page = (await velostrataThroughPrism(200)).body as TaskDescriptionPage;
      expect(page).toEqual((await velostrataTasks(sim)).body);
      for (const task of page.content ?? []) velostrataStates.add(task.state!);
      for (const query of filters()) {
        const result = (await snapserviceThroughPrism(query, 200)).body as ListResult;
        expect(result).toEqual((await snapserviceTasks(sim, query)).body);
        for (const item of result.items) snapserviceStatuses.add(item.info.status);
        if (query === ALL_SERVICES) ids = result.items.map((item) => item.task);
      }
      await sim.advance(15_000);
    }
    expect([...velostrataStates].sort()).toEqual(['Cancelled', 'Cancelling', 'Failed', 'Failing', 'Running', 'Succeeded']);
    expect([...snapserviceStatuses].sort()).toEqual(['BLOCKED', 'FAILED', 'PENDING', 'RUNNING', 'SUCCEEDED']);
  });

  it('scripted tasks with partial and full errors, results and removal stay in the contract', async () => {
    const id = sim.snapservice.addTask({
      service: BULK_SERVICE,
      operation: 'restore',
      steps: [
        { status: 'PENDING' },
        { status: 'RUNNING', progress: { total: 3, completed: 1 }, message: 'Restoring' },
        { status: 'BLOCKED' },
        {
          status: 'FAILED',
          error: { error_type: 'TIMED_OUT', messages: [{ id: 'x', default_message: 'Timed out', args: [] }], data: { after: 30 } },
        },
      ],
    });
    for (let i = 0; i < 4; i++) {
      await snapserviceThroughPrism({ tasks: [id] }, 200);
      await sim.advance(1000);
    }
    const task = sim.velostrata.addTask({
      taskType: 'UpgradeManagement',
      entity: { value: 'mgmt', _type: 'CredentialsId' },
      steps: [{ state: 'Running' }, { state: 'Cancelling' }, { state: 'Cancelled' }],
    });
    for (let i = 0; i < 3; i++) {
      const page = (await velostrataThroughPrism(200)).body as TaskDescriptionPage;
      expect(page.content?.some((t) => t.id?.value === task)).toBe(true);
      await sim.advance(1000);
    }
  });

  it('snapservice errors: the filter rule, a bad status, wrong and expired credentials, more than 1000 matches', async () => {
    const rule = await snapserviceThroughPrism({ status: ['RUNNING'] }, 400);
    expect(rule.body).toMatchObject({ error_type: 'INVALID_ARGUMENT' });
    await snapserviceThroughPrism({}, 400);
    await snapserviceThroughPrism(ALL_SERVICES, 401, { 'vmware-api-session-id': 'wrong' });
    await snapserviceThroughPrism(ALL_SERVICES, 401, { authorization: 'SIGN token="wrong"' });
    await snapserviceThroughPrism(ALL_SERVICES, 200, { authorization: sim.snapservice.authorization });
    sim.snapservice.expireSession();
    await snapserviceThroughPrism(ALL_SERVICES, 401);
    sim.snapservice.renewSession();
    await snapserviceThroughPrism(ALL_SERVICES, 200);
    for (let i = 0; i < 1001; i++) sim.snapservice.addTask({ service: BULK_SERVICE, steps: [{ status: 'PENDING' }] });
    const tooMany = await snapserviceThroughPrism({ services: [BULK_SERVICE] }, 500);
    expect(tooMany.body).toMatchObject({ error_type: 'RESOURCE_INACCESSIBLE' });
    // A bad status value never reaches the simulator: Prism refuses it, as the spec says (and logs
    // the refusal, which is this request's and not a violation by the simulator).
    const before = sim.snapservice.requests;
    const logged = snapservice.logs.length;
    const refused = await snapserviceTasks(sim, { ...ALL_SERVICES, status: ['DONE'] }, snapservice.url);
    expect(refused.status).toBe(422);
    expect(sim.snapservice.requests).toBe(before);
    expect(snapservice.logs.splice(logged)).toEqual([
      expect.objectContaining({ msg: expect.stringMatching(/UNPROCESSABLE_ENTITY: Invalid request/) }),
    ]);
  });

  it('Velostrata errors: wrong credentials', async () => {
    const wrong = await velostrataThroughPrism(401, basic('apiuser', 'not-the-subscription'));
    expect(wrong.body).toMatchObject({ errorCode: 'UNAUTHORIZED' });
  });

  it('snapservice: one task, and logging in, reading the session and logging out', async () => {
    /** A call through Prism: clean, and its body our spec's, the facts' for the vendor's operation and status, and the vendor's. */
    async function snap(vendorOperation: string, path: string, status: number, init: RequestInit = {}): Promise<Answer> {
      const answer = await call(`${snapservice.url}/api/snapservice${path}`, init);
      expectClean(answer, status);
      const vendor = facts.operations.find((operation) => operation.operationId === vendorOperation)!;
      const errorTypes = vendor.errorTypes[String(status)];
      const schema = vendor.bodies[String(status)];
      if (errorTypes) {
        const errorType = (answer.body as VapiError).error_type;
        expect(errorTypes, `${vendorOperation} ${status}`).toContain(errorType);
        expect(facts.schemas.check(schema!, answer.body).errors).toEqual([]);
        if (official) expect(official.check(officialErrorSchema(errorType), answer.body).errors).toEqual([]);
      } else if (schema) {
        expect(facts.schemas.check(schema, answer.body).errors, `${vendorOperation} ${status}`).toEqual([]);
        const vendorSchema = facts.schema(schema)['x-vendor-schema'];
        if (official && typeof vendorSchema === 'string') expect(official.check(vendorSchema, answer.body).errors).toEqual([]);
      } else {
        expect(answer.text, `${vendorOperation} ${status} has no body`).toBe('');
      }
      checked.snapservice++;
      return answer;
    }
    sim.snapservice.renewSession();
    const session = { 'vmware-api-session-id': sim.snapservice.sessionId };
    const [item] = ((await snapserviceThroughPrism(ALL_SERVICES, 200)).body as ListResult).items;
    const one = await snap('Snapservice.Tasks_get', `/tasks/${encodeURIComponent(item!.task)}`, 200, { headers: session });
    expect(ours.snapservice.check('TaskInfo', one.body).errors).toEqual([]);
    expect(one.body).toEqual(item!.info);
    await snap('Snapservice.Tasks_get', '/tasks/no-such-task', 404, { headers: session });
    await snap('Snapservice.Tasks_get', `/tasks/${encodeURIComponent(item!.task)}`, 401, { headers: { 'vmware-api-session-id': 'wrong' } });

    const login = { authorization: basic(sim.snapservice.username, sim.snapservice.password) };
    await snap('Snapservice.Sessions_create', '/sessions', 401, { method: 'POST', headers: { authorization: basic('nobody', 'wrong') } });
    const token = (await snap('Snapservice.Sessions_create', '/sessions', 201, { method: 'POST', headers: login })).body;
    expect(typeof token).toBe('string');
    const mine = { 'vmware-api-session-id': String(token) };
    const info = await snap('Snapservice.Sessions_get', '/sessions', 200, { headers: mine });
    expect(ours.snapservice.check('SessionInfo', info.body).errors).toEqual([]);
    await snap('Snapservice.Sessions_delete', '/sessions', 204, { method: 'DELETE', headers: mine });
    await snap('Snapservice.Sessions_get', '/sessions', 401, { headers: mine });
    await snap('Snapservice.Sessions_delete', '/sessions', 401, { method: 'DELETE', headers: mine });
  });

  it('Velostrata: one task, the paged list of every task with each kind of filter, and cancelling', async () => {
    const credentials = { authorization: basic(sim.velostrata.username, sim.velostrata.password) };
    async function velo(path: string, status: number, schema: string | undefined, init: RequestInit = {}): Promise<Answer> {
      const answer = await call(`${velostrata.url}${path}`, {
        ...init,
        headers: { ...credentials, ...(init.headers as Record<string, string>) },
      });
      expectClean(answer, status);
      if (schema) expect(ours.velostrata.check(schema, answer.body).errors, `${path} ${status}`).toEqual([]);
      else expect(answer.text, `${path} ${status} has no body`).toBe('');
      checked.velostrata++;
      return answer;
    }
    const post = (body: unknown): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const task = sim.velostrata.addTask({
      taskType: 'FullMigration',
      entity: { value: 'vm-contract', _type: 'VmId' },
      steps: [{ state: 'Running' }],
    });
    const found = await velo(`/tasks/${task}`, 200, 'TaskDescription');
    expect(found.body).toMatchObject({ id: { value: task }, state: 'Running' });
    await velo('/tasks/no-such-task', 404, 'ErrorInfo');
    const first = (await velo('/tasks', 200, 'TaskDescriptionPage', post({ page: 0, size: 2 }))).body as TaskDescriptionPage;
    expect(first.numberOfElements).toBeLessThanOrEqual(2);
    const filters = [
      { _type: 'IdFilter', ids: [{ value: task, _type: 'TaskId' }] },
      { _type: 'TaskEntityIdFilter', id: { value: 'vm-contract', _type: 'VmId' } },
      { _type: 'TaskStateFilter', state: ['Running'] },
    ];
    for (const filter of filters) {
      const page = (await velo('/tasks', 200, 'TaskDescriptionPage', post({ filter }))).body as TaskDescriptionPage;
      expect(
        page.content?.some((candidate) => candidate.id?.value === task),
        filter._type,
      ).toBe(true);
    }
    await velo(`/tasks/${task}`, 202, undefined, { method: 'DELETE' });
    await sim.advance(CANCEL_MS);
    expect((await velo(`/tasks/${task}`, 200, 'TaskDescription')).body).toMatchObject({ state: 'Cancelled' });
    await velo(`/tasks/${task}`, 204, undefined, { method: 'DELETE' });
    await velo('/tasks/no-such-task', 404, 'ErrorInfo', { method: 'DELETE' });
  });

  const faults: { fault: Fault; status: number }[] = [
    { fault: { kind: 'unavailable' }, status: 503 },
    { fault: { kind: 'rate-limited', retryAfterSeconds: 2 }, status: 429 },
    { fault: { kind: 'error' }, status: 500 },
    { fault: { kind: 'unauthenticated' }, status: 401 },
    { fault: { kind: 'forbidden' }, status: 403 },
    { fault: { kind: 'slow', delayMs: 50 }, status: 200 },
  ];
  it.each(faults)('fault $fault.kind → $status, in the contract of both APIs', async ({ fault, status }) => {
    sim.snapservice.renewSession();
    sim.snapservice.injectFault(fault);
    const snap = await snapserviceThroughPrism(ALL_SERVICES, status);
    sim.velostrata.injectFault(fault);
    const velo = await velostrataThroughPrism(status);
    if (fault.kind === 'rate-limited') {
      expect(snap.headers.get('retry-after')).toBe('2');
      expect(velo.headers.get('retry-after')).toBe('2');
    }
  });

  it('fault reset: the connection drops; Prism reports the hang-up as its own 500, with no violation', async () => {
    for (const [api, server] of [
      ['snapservice', snapservice],
      ['velostrata', velostrata],
    ] as const) {
      sim[api].injectFault({ kind: 'reset' });
      const logged = server.logs.length;
      const answer = api === 'snapservice' ? await snapserviceTasks(sim, ALL_SERVICES, server.url) : await velostrataTasks(sim, server.url);
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({ type: 'FetchError', title: expect.stringMatching(/socket hang up/) });
      expect(violationsIn(answer.body)).toEqual([]);
      expect(server.logs.splice(logged)).toEqual([expect.objectContaining({ msg: expect.stringMatching(/socket hang up/) })]);
    }
  });

  it('Prism logged no violation in either direction', () => {
    expect(checked.velostrata).toBeGreaterThan(100);
    expect(checked.snapservice).toBeGreaterThan(400);
    const violations = [...velostrata.logs, ...snapservice.logs].filter((line) =>
      /violat|invalid|error/i.test(`${line.level} ${line.msg}`),
    );
    expect(violations).toEqual([]);
  });
});
