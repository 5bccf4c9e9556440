// A bad fleet config is one line, `file:line:col what is wrong`, and exit 2; a secret never shows.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../test/fake-io.js';
import { resolveConnections } from '../config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vmtasks-config-'));
let files = 0;
/** Writes `text` to a new config file; returns its path. */
function configFile(text: string): string {
  const file = path.join(dir, `config-${++files}.yaml`);
  writeFileSync(file, text);
  return file;
}

const good = `currentContext: lab
contexts:
  lab:
    appliances:
      - name: vel-east
        api: velostrata
        url: https://10.0.0.5/velostrata/api/v42
        username: apiuser
        secret: { env: VEL_EAST_PASSWORD }
      - name: snap-1
        api: snapservice
        url: https://snap1.example/
        username: admin
        secret: { env: SNAP1_PASSWORD }
        services: [svc-a]
  prod:
    appliances:
      - name: vel-prod
        api: velostrata
        url: https://mgr.prod.example/velostrata/api/v42
        secret: { command: [printf, 'prod-secret-3\\n'] }
`;
const env = { VEL_EAST_PASSWORD: 'east-secret-1', SNAP1_PASSWORD: 'snap-secret-2' };

/** The one line `vmtasks tasks --config FILE` prints for a bad file, and its exit status. */
async function problem(text: string, extra: string[] = [], withEnv: Record<string, string> = env): Promise<string> {
  const file = configFile(text);
  const result = await runMain(['tasks', '--config', file, ...extra], withEnv);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!.replace(file, 'FILE').replace(/^error: /, '');
}

describe('fleet config', () => {
  it('reads the current context, each appliance with its secret; --context picks another; a command is argv, no shell', () => {
    const file = configFile(good);
    const lab = resolveConnections({ api: 'all', config: file }, env, { task: [], service: [], status: [], operation: [], user: [] });
    expect(lab.apis.map((api) => [api.appliance, api.api])).toEqual([
      ['vel-east', 'velostrata'],
      ['snap-1', 'snapservice'],
    ]);
    expect(lab.apis[0]!.config).toEqual({ url: 'https://10.0.0.5/velostrata/api/v42', username: 'apiuser', password: 'east-secret-1' });
    expect(lab.apis[1]!.config).toEqual({
      url: 'https://snap1.example/',
      login: { username: 'admin', password: 'snap-secret-2' },
      filter: { services: ['svc-a'] },
    });
    const prod = resolveConnections({ api: 'all', context: 'prod', config: file }, {}, undefined);
    expect(prod.apis[0]!.config).toMatchObject({ username: 'apiuser', password: 'prod-secret-3' });
    // VMTASKS_CONFIG names the file as --config does.
    expect(resolveConnections({ api: 'velostrata' }, { ...env, VMTASKS_CONFIG: file }, undefined).apis.map((api) => api.appliance)).toEqual(
      ['vel-east'],
    );
  });

  it('precedence: the environment pair without --config; the default file only when the environment configures nothing', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'vmtasks-xdg-'));
    const pair = { VELOSTRATA_URL: 'https://mgr.example/velostrata/api/v42', VELOSTRATA_PASSWORD: 'pair-secret' };
    expect(resolveConnections({ api: 'all' }, { XDG_CONFIG_HOME: home, ...pair }, undefined).apis.map((api) => api.appliance)).toEqual([
      'velostrata',
    ]);
    expect(() => resolveConnections({ api: 'all' }, { XDG_CONFIG_HOME: home }, undefined)).toThrow(/nothing to talk to/);
    mkdirSync(path.join(home, 'vmtasks'));
    writeFileSync(path.join(home, 'vmtasks', 'config.yaml'), good);
    // The pair still wins when it configures something; the default file is used when it configures nothing.
    expect(
      resolveConnections({ api: 'all' }, { XDG_CONFIG_HOME: home, ...pair, ...env }, undefined).apis.map((api) => api.appliance),
    ).toEqual(['velostrata']);
    expect(resolveConnections({ api: 'all' }, { XDG_CONFIG_HOME: home, ...env }, undefined).apis.map((api) => api.appliance)).toEqual([
      'vel-east',
      'snap-1',
    ]);
    // Without XDG_CONFIG_HOME: ~/.config.
    const user = mkdtempSync(path.join(tmpdir(), 'vmtasks-home-'));
    mkdirSync(path.join(user, '.config', 'vmtasks'), { recursive: true });
    writeFileSync(path.join(user, '.config', 'vmtasks', 'config.yaml'), good);
    expect(resolveConnections({ api: 'velostrata' }, { HOME: user, ...env }, undefined).apis.map((api) => api.appliance)).toEqual([
      'vel-east',
    ]);
  });

  it('an unknown key, a wrong type, a missing field: where and what', async () => {
    expect(await problem(good.replace('        username: admin\n', '        username: admin\n        pasword: x\n'))).toBe(
      'FILE:14:9 unknown key "pasword" in contexts.lab.appliances[1]',
    );
    expect(await problem(good.replace('        username: apiuser\n', '        insecure: "no"\n'))).toBe(
      'FILE:8:19 contexts.lab.appliances[0].insecure must be boolean',
    );
    expect(await problem(good.replace('        url: https://snap1.example/\n', ''))).toBe(
      'FILE:10:9 contexts.lab.appliances[1] has no "url"',
    );
    expect(await problem(good.replace('secret: { env: SNAP1_PASSWORD }', 'secret: { vault: x }'))).toBe(
      'FILE:14:19 unknown key "vault" in contexts.lab.appliances[1].secret',
    );
    expect(await problem('contexts: [1, 2]\n')).toBe('FILE:1:11 contexts must be object');
    expect(await problem('contexts:\n  lab: {appliances: [\n')).toMatch(/^FILE:3:1 /);
  });

  it('duplicate appliance names, an unknown API, an unknown context', async () => {
    expect(await problem(good.replace('name: snap-1', 'name: vel-east'))).toBe(
      'FILE:10:15 appliance name "vel-east" is used twice in context lab',
    );
    expect(await problem(good.replace('api: snapservice', 'api: vsphere'))).toBe(
      'FILE:11:14 unknown API "vsphere": one of velostrata, snapservice',
    );
    expect(await problem(good, ['--context', 'staging'])).toBe('FILE:3:3 no context "staging": one of lab, prod');
    expect(await problem(good.replace('currentContext: lab', 'currentContext: qa'))).toBe('FILE:1:17 no context "qa": one of lab, prod');
  });

  it('a missing secret variable, a failing secret command: by exit status only, never its output', async () => {
    expect(await problem(good, [], { VEL_EAST_PASSWORD: 'east-secret-1' })).toBe(
      "FILE:14:17 snap-1: its secret's environment variable SNAP1_PASSWORD is not set",
    );
    const leaky = good.replace(
      "secret: { command: [printf, 'prod-secret-3\\n'] }",
      "secret: { command: [sh, -c, 'echo leaked-secret-4; echo leaked-secret-4 >&2; exit 3'] }",
    );
    const line = await problem(leaky, ['--context', 'prod']);
    expect(line).toBe('FILE:21:17 vel-prod: its secret command "sh" failed (exit status 3)');
    expect(line).not.toContain('leaked-secret-4');
    expect(await problem(good.replace('[printf,', '[/nonexistent/pass,'), ['--context', 'prod'])).toBe(
      'FILE:21:17 vel-prod: its secret command "/nonexistent/pass" failed (ENOENT)',
    );
  });
});
