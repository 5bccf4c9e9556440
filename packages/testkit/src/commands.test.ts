import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findCommand, requireCommand } from './commands.js';
import { selfSignedCertificate } from './http-server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-commands-'));
  await writeFile(path.join(dir, 'tool'), '#!/bin/sh\n');
  await chmod(path.join(dir, 'tool'), 0o755);
  await writeFile(path.join(dir, 'not-executable'), '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a missing program fails with one line naming the Debian package', () => {
  let message = '';
  try {
    requireCommand('vmtasks-no-such-program', 'vmtasks-pkg');
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toBe('vmtasks-no-such-program not found: apt-get install vmtasks-pkg');
  expect(() => requireCommand(path.join(dir, 'missing'), 'chromium')).toThrow(
    `${path.join(dir, 'missing')} not found: apt-get install chromium`,
  );
});

it('finds a program by name on PATH, or by path, and only if it is an executable file', () => {
  const saved = process.env['PATH'];
  process.env['PATH'] = ['', '/nonexistent', dir].join(path.delimiter);
  try {
    expect(requireCommand('tool', 'tool')).toBe(path.join(dir, 'tool'));
    expect(findCommand('not-executable')).toBeUndefined();
    expect(findCommand('sh')).toBeUndefined(); // only the PATH given is searched
  } finally {
    process.env['PATH'] = saved;
  }
  expect(requireCommand(path.join(dir, 'tool'), 'tool')).toBe(path.join(dir, 'tool'));
  expect(findCommand(dir)).toBeUndefined(); // a directory is not a program
});

it('the certificate helper names the package when openssl is missing', async () => {
  const saved = process.env['PATH'];
  process.env['PATH'] = dir;
  try {
    await expect(selfSignedCertificate()).rejects.toThrow(/^openssl not found: apt-get install openssl$/);
  } finally {
    process.env['PATH'] = saved;
  }
});
