import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConnections, type Connections, type FilterFlags } from './config.js';
import { UsageError } from './exit-codes.js';

/** One API's configuration, as its file in apis/ made it. */
const configOf = (connections: Connections, api: string): Record<string, unknown> | undefined =>
  connections.apis.find((each) => each.api === api)?.config as Record<string, unknown> | undefined;
/** The secret values the redactor of everything printed learns from the configuration. */
const secretsOf = (connections: Connections): (string | undefined)[] => connections.apis.flatMap((api) => api.credentials.values);

const noFilters: FilterFlags = { task: [], service: [], status: [], operation: [], user: [] };
const velostrataEnv = { VELOSTRATA_URL: 'https://mgr.example.com/velostrata/api/v42', VELOSTRATA_PASSWORD: 'sub-secret-1234' };
const snapserviceEnv = { SNAPSERVICE_URL: 'https://snap.example.com', SNAPSERVICE_SESSION_ID: 'session-secret-5678' };

describe('resolveConnections', () => {
  it('reads both APIs from the environment, flags winning', () => {
    const connections = resolveConnections(
      { api: 'all', velostrataUrl: 'https://other.example.com/velostrata/api/v42', velostrataUser: 'ops' },
      { ...velostrataEnv, ...snapserviceEnv, SNAPSERVICE_SERVICES: 'svc.a, svc.b' },
      { ...noFilters, status: ['RUNNING'] },
    );
    expect(configOf(connections, 'velostrata')).toEqual({
      url: 'https://other.example.com/velostrata/api/v42',
      username: 'ops',
      password: 'sub-secret-1234',
    });
    expect(configOf(connections, 'snapservice')).toEqual({
      url: 'https://snap.example.com',
      sessionId: 'session-secret-5678',
      filter: { services: ['svc.a', 'svc.b'], status: ['RUNNING'] },
    });
    expect(secretsOf(connections)).toEqual(expect.arrayContaining(['sub-secret-1234', 'session-secret-5678']));
    expect(connections.notes).toEqual([]);
  });

  it('SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD log in, winning over a fixed session id; the password is a secret', () => {
    const connections = resolveConnections(
      { api: 'snapservice' },
      {
        ...snapserviceEnv,
        SNAPSERVICE_USERNAME: 'ops@vsphere.local',
        SNAPSERVICE_PASSWORD: 'pw-secret-9012',
        SNAPSERVICE_SERVICES: 'svc.a',
      },
      undefined,
    );
    expect(configOf(connections, 'snapservice')).toEqual({
      url: 'https://snap.example.com',
      login: { username: 'ops@vsphere.local', password: 'pw-secret-9012' },
      services: ['svc.a'],
    });
    expect(secretsOf(connections)).toContain('pw-secret-9012');
    expect(() => resolveConnections({ api: 'snapservice' }, { ...snapserviceEnv, SNAPSERVICE_PASSWORD: 'pw' }, undefined)).toThrow(
      'no user name: set both SNAPSERVICE_USERNAME and SNAPSERVICE_PASSWORD to log in',
    );
  });

  it('--service and --task replace SNAPSERVICE_SERVICES', () => {
    const connections = resolveConnections(
      { api: 'snapservice' },
      { ...snapserviceEnv, SNAPSERVICE_SERVICES: 'svc.a' },
      { ...noFilters, task: ['t1', 't2'] },
    );
    expect(configOf(connections, 'snapservice')?.filter).toEqual({ tasks: ['t1', 't2'], services: ['svc.a'] });
    expect(
      configOf(
        resolveConnections(
          { api: 'snapservice' },
          { ...snapserviceEnv, SNAPSERVICE_SERVICES: 'svc.a' },
          { ...noFilters, service: ['svc.z'] },
        ),
        'snapservice',
      )?.filter,
    ).toEqual({
      services: ['svc.z'],
    });
  });

  it('with --api snapservice and no tasks or services, says exactly what to pass', () => {
    expect(() => resolveConnections({ api: 'snapservice' }, snapserviceEnv, noFilters)).toThrow(
      new UsageError(
        'it lists tasks only of given tasks or services: pass --task ID or --service NAME (each repeatable), or set SNAPSERVICE_SERVICES=NAME[,NAME…]',
      ),
    );
  });

  it('with --api all, lists the other API and notes what snapservice needs', () => {
    const connections = resolveConnections({ api: 'all' }, { ...velostrataEnv, ...snapserviceEnv }, noFilters);
    expect(configOf(connections, 'velostrata')).toBeDefined();
    expect(configOf(connections, 'snapservice')).toBeUndefined();
    expect(connections.notes).toEqual([expect.stringMatching(/^snapservice skipped: .*--task ID or --service NAME/)]);
  });

  it('a wait needs no snapservice filter', () => {
    expect(configOf(resolveConnections({ api: 'snapservice' }, snapserviceEnv, undefined), 'snapservice')).toEqual({
      url: 'https://snap.example.com',
      sessionId: 'session-secret-5678',
    });
  });

  it('skips an unconfigured API with a note, and fails when none is left', () => {
    const connections = resolveConnections({ api: 'all' }, velostrataEnv, noFilters);
    expect(connections.notes).toEqual([expect.stringMatching(/^snapservice skipped: no URL: set SNAPSERVICE_URL/)]);
    expect(() => resolveConnections({ api: 'all' }, {}, noFilters)).toThrow(
      /nothing to talk to:\n {2}velostrata skipped: no URL.*\n {2}snapservice skipped: no URL.*\n.*vmtasks simulate/,
    );
    expect(() => resolveConnections({ api: 'velostrata' }, { VELOSTRATA_URL: velostrataEnv.VELOSTRATA_URL }, noFilters)).toThrow(
      /no credentials: set VELOSTRATA_PASSWORD/,
    );
  });

  it('refuses snapservice filters with --api velostrata', () => {
    expect(() => resolveConnections({ api: 'velostrata' }, velostrataEnv, { ...noFilters, user: ['ops'] })).toThrow(UsageError);
  });

  it('reads CA files, and --insecure only when asked, with a warning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vmtasks-ca-'));
    const ca = path.join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const connections = resolveConnections({ api: 'all' }, { ...velostrataEnv, VELOSTRATA_CA_FILE: ca, ...snapserviceEnv }, undefined);
    expect(configOf(connections, 'velostrata')?.tls).toEqual({ ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(configOf(connections, 'snapservice')?.tls).toBeUndefined();
    const insecure = resolveConnections({ api: 'snapservice', insecure: true }, snapserviceEnv, undefined);
    expect(configOf(insecure, 'snapservice')?.tls).toEqual({ rejectUnauthorized: false });
    expect(insecure.notes).toEqual([expect.stringContaining('--insecure: TLS certificates are NOT verified')]);
    expect(() => resolveConnections({ api: 'velostrata', velostrataCa: path.join(dir, 'missing.pem') }, velostrataEnv, undefined)).toThrow(
      /cannot read the CA file given by --velostrata-ca .*missing\.pem\): ENOENT/,
    );
  });
});
