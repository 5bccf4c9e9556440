import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulatorFleet } from './fleet.js';
import { basic } from './test-support/requests.js';

describe('startSimulatorFleet', () => {
  it('starts N appliances of alternating kinds, each answering with its own secret, and writes their config without the secrets', async () => {
    await using fleet = await startSimulatorFleet({ count: 3, clock: 'manual', seed: 5 });
    expect(fleet.appliances.map((a) => [a.name, a.api])).toEqual([
      ['velostrata-1', 'velostrata'],
      ['snapservice-1', 'snapservice'],
      ['velostrata-2', 'velostrata'],
    ]);
    expect(new Set(fleet.appliances.map((a) => a.url)).size).toBe(3);
    const [first, , third] = fleet.appliances;
    for (const velostrata of [first!, third!]) {
      const ok = await fetch(`${velostrata.url}/tasks`, { headers: { authorization: basic(velostrata.username, velostrata.secret) } });
      expect(ok.status).toBe(200);
    }
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vmtasks-fleet-')), 'config.yaml');
    fleet.writeConfig(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(fleet.configYaml());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const appliance of fleet.appliances) {
      expect(text).not.toContain(appliance.secret);
      expect(text).toContain(`secret: { env: "${appliance.secretEnv}" }`);
      expect(fleet.env()[appliance.secretEnv]).toBe(appliance.secret);
    }
    expect(fleet.exportLines().split('\n').filter(Boolean)).toHaveLength(3);
    await fleet.close();
    await expect(fetch(`${first!.url}/tasks`)).rejects.toThrow();
  });

  it('refuses a count that is not 1 to 200', async () => {
    for (const count of [0, 2.5, 201]) await expect(startSimulatorFleet({ count })).rejects.toThrow(RangeError);
  });
});
