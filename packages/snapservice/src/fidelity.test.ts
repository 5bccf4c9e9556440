// The spec against what the vendor published: the reference page's own examples (shared/seeds)
// must validate against our spec, and every example of our spec against the vendor's OpenAPI
// description (shared/official), so neither side can drift without a test saying where.
import path from 'node:path';
import { documentedResponses, loadSpecSchemas, PlaceholderFiller, SHARED_DIR, seedExamples, specOf, type SpecSchemas } from '@vmtasks/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

let ours: SpecSchemas;
let official: SpecSchemas;
let filler: PlaceholderFiller;
beforeAll(async () => {
  const spec = await specOf('snapservice');
  [ours, official, filler] = await Promise.all([
    loadSpecSchemas(spec),
    loadSpecSchemas(path.join(SHARED_DIR, 'official', 'snapservice-official.yaml')),
    PlaceholderFiller.load(spec),
  ]);
});

/** The vendor's schema for a vAPI error body: `INVALID_ARGUMENT` → `Vapi.Std.Errors.InvalidArgument`. */
function officialErrorSchema(errorType: string): string {
  if (errorType === 'ERROR') return 'Vapi.Std.Errors.Error';
  return `Vapi.Std.Errors.${errorType.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase())}`;
}

describe("the reference page's examples validate against our spec", () => {
  it('the 200 ListResult, error: {} included (placeholders such as "string" for an enum filled in by kind)', async () => {
    const [list] = await seedExamples('snapservice-list-tasks.txt');
    expect(list?.caption).toMatch(/ListResult/);
    const filled = filler.fill(list?.value, 'ListResult') as { items: { info: { error: unknown } }[] };
    expect(filled.items[0]?.info.error, 'the page shows an empty error object').toEqual({});
    expect(ours.check('ListResult', filled).errors).toEqual([]);
  });

  it('every error body on the page', async () => {
    const errors = (await seedExamples('snapservice-list-tasks.txt')).slice(1);
    expect(errors.length).toBeGreaterThanOrEqual(5);
    for (const example of errors) {
      expect(ours.check('VapiError', filler.fill(example.value, 'VapiError')).errors, `seed line ${example.line}`).toEqual([]);
    }
  });
});

describe("our spec's examples validate against the vendor's description", () => {
  it('every documented example, against the matching official schema', async () => {
    const responses = await documentedResponses(await specOf('snapservice'));
    let checked = 0;
    for (const response of responses) {
      for (const [name, example] of Object.entries(response.examples)) {
        const errorType = (example as { error_type?: unknown }).error_type;
        const schema = response.status === '200' ? 'Snapservice.Tasks.ListResult' : officialErrorSchema(String(errorType));
        expect(official.check(schema, example).errors, `${response.status} ${name} against ${schema}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it('an empty, a partial and a full task error validate against both', () => {
    const task = (error: object) => ({
      items: [
        {
          task: 't-1',
          info: { description: { id: 'd', default_message: 'Snapshot', args: [] }, service: 's', operation: 'o', status: 'FAILED', cancelable: false, error },
        },
      ],
    });
    const full = { error_type: 'ERROR', messages: [{ id: 'm', default_message: 'Failed', args: [] }], data: { hint: 'retry' } };
    for (const error of [{}, { error_type: 'TIMED_OUT' }, full, { ...full, vendor_detail: 42 }]) {
      expect(ours.check('ListResult', task(error)).errors, JSON.stringify(error)).toEqual([]);
      expect(official.check('Snapservice.Tasks.ListResult', task(error)).errors, JSON.stringify(error)).toEqual([]);
    }
    expect(ours.check('ListResult', task({ error_type: 'NOT_A_VAPI_ERROR' })).valid, 'a present error_type is still typed').toBe(false);
  });

  it('the 403 error may carry a challenge, as the 401 does (official since 9.1)', () => {
    const body = { error_type: 'UNAUTHORIZED', messages: [], challenge: 'SIGN realm="snapservice"' };
    expect(official.check('Vapi.Std.Errors.Unauthorized', body).errors).toEqual([]);
    expect(ours.check('VapiErrorWithChallenge', body).errors).toEqual([]);
  });
});
