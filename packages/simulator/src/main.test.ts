// `npm run simulate` as a person uses it: the export lines work in a shell, Ctrl-C and SIGTERM stop
// it cleanly and leave nothing listening, a bad flag exits 2.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { shellQuote } from './shell.js';
import { basic } from './test-support/requests.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const args = (extra: string[]) => ['--import', 'tsx', main, ...extra];
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the simulator process and waits for its export lines (two for the pair). */
async function simulate(extra: string[] = [], lines = 2): Promise<{ child: ChildProcessWithoutNullStreams; exports: string }> {
  const child = spawn(process.execPath, args(extra), { stdio: 'pipe' });
  children.push(child);
  let stdout = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.split('\n').filter((line) => line.startsWith('export ')).length === lines) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing its exports: ${stdout}`)));
  });
  return { child, exports: stdout };
}

/** What a shell makes of the export lines. */
async function sourced(exports: string): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)('sh', ['-c', `${exports}\nenv`], { env: {} });
  return Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('npm run simulate', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('prints working export lines; %s stops it with exit 0 and closes the ports', async (signal) => {
    const { child, exports } = await simulate(['--speed', '60', '--seed', '3', '--vms', '2']);
    const env = await sourced(exports);
    expect(
      Object.keys(env)
        .filter((name) => /^(VELOSTRATA|SNAPSERVICE)_/.test(name))
        .sort(),
    ).toEqual([
      'SNAPSERVICE_PASSWORD',
      'SNAPSERVICE_SERVICES',
      'SNAPSERVICE_SESSION_ID',
      'SNAPSERVICE_URL',
      'SNAPSERVICE_USERNAME',
      'VELOSTRATA_PASSWORD',
      'VELOSTRATA_URL',
      'VELOSTRATA_USERNAME',
    ]);
    // What `vmtasks watch` needs to list the built-in snapshot tasks without flags.
    expect(env['SNAPSERVICE_SERVICES']).toBe('com.vmware.snapservice.protection_group');
    const velostrata = await fetch(`${env['VELOSTRATA_URL']}/tasks`, {
      headers: { authorization: basic(env['VELOSTRATA_USERNAME']!, env['VELOSTRATA_PASSWORD']!) },
    });
    expect(velostrata.status).toBe(200);
    const snapservice = await fetch(`${env['SNAPSERVICE_URL']}/api/snapservice/tasks?services=com.vmware.snapservice.protection_group`, {
      headers: { 'vmware-api-session-id': env['SNAPSERVICE_SESSION_ID']! },
    });
    expect(snapservice.status).toBe(200);

    child.kill(signal);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    await expect(fetch(`${env['VELOSTRATA_URL']}/tasks`)).rejects.toThrow();
    await expect(fetch(env['SNAPSERVICE_URL']!)).rejects.toThrow();
  });

  it('exits 2 with a helpful line for a bad flag or value', async () => {
    for (const bad of [
      ['--sped', '3'],
      ['--speed', 'fast'],
      ['--scenario', 'storm'],
      ['--fleet', '0'],
      ['--fleet', '2.5'],
      ['--fleet', 'many'],
      ['--fleet', '100000'],
      ['--write-config', 'x.yaml'],
    ]) {
      const result = await promisify(execFile)(process.execPath, args(bad)).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code, bad.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^vmtasks-simulator: .+\nusage: vmtasks-simulator/);
    }
  });

  it('--fleet N --write-config FILE: N appliances, a config naming their secrets by variable, the export lines for them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vmtasks-fleet-'));
    const file = path.join(dir, 'fleet.yaml');
    const { child, exports } = await simulate(['--fleet', '3', '--write-config', file, '--speed', '60'], 4);
    const env = await sourced(exports);
    expect(env['VMTASKS_CONFIG']).toBe(file);
    const config = readFileSync(file, 'utf8');
    const secrets = ['VMTASKS_SIM_VELOSTRATA_1_SECRET', 'VMTASKS_SIM_SNAPSERVICE_1_SECRET', 'VMTASKS_SIM_VELOSTRATA_2_SECRET'];
    for (const name of secrets) {
      expect(config).toContain(`secret: { env: "${name}" }`);
      expect(env[name]).toBeTruthy();
      expect(config).not.toContain(env[name]);
    }
    expect(config.match(/- name: /g)).toHaveLength(3);
    expect(config).toContain('currentContext: simulated');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('quotes values for the shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
