// bin/vmtasks.js in a checkout where nothing is built yet (right after `npm ci && npm run
// generate`): it builds the command and the workspace packages it imports once, through the
// repository's turbo, with the build's output on stderr, then runs. Here the checkout is a
// skeleton whose scripts/turbo records how it was called and "builds" by writing the files.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './terminal.js';

const packageJson = path.join(import.meta.dirname, '../package.json');
const { dependencies } = JSON.parse(await readFile(packageJson, 'utf8')) as { dependencies: Record<string, string> };
const workspaceDeps = Object.keys(dependencies).filter((name) => name.startsWith('@vmtasks/'));
const roots: string[] = [];
afterEach(() => Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true }))));

/**
 * A checkout with the real bin and package.json, src/ present, the workspace packages linked as
 * npm links them (exports into a dist/ not built yet), and `turbo` as scripts/turbo's body.
 * Returns the path of its bin.
 */
async function checkout(turbo: string): Promise<{ root: string; bin: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'vmtasks-checkout-'));
  roots.push(root);
  const cli = path.join(root, 'packages/cli');
  for (const dir of ['bin', 'src']) await mkdir(path.join(cli, dir), { recursive: true });
  await copyFile(BIN, path.join(cli, 'bin/vmtasks.js'));
  await copyFile(packageJson, path.join(cli, 'package.json'));
  await writeFile(path.join(cli, 'src/cli.ts'), '');
  for (const name of workspaceDeps) {
    const dir = path.join(root, 'node_modules', name);
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name, type: 'module', exports: { '.': { import: './dist/index.js' } } }),
    );
  }
  await mkdir(path.join(root, 'scripts'));
  await writeFile(path.join(root, 'scripts/turbo'), `#!/bin/sh\nroot=$(dirname "$0")/..\n${turbo}\n`);
  await chmod(path.join(root, 'scripts/turbo'), 0o755);
  return { root, bin: path.join(cli, 'bin/vmtasks.js') };
}

const run = (bin: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  promisify(execFile)(process.execPath, [bin, '--version'], { env: { PATH: process.env['PATH'] ?? '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('vmtasks in a checkout that is not built', () => {
  it('builds once, with the build on stderr and stdout left to the command, then runs', async () => {
    const { root, bin } = await checkout(
      [
        'echo "turbo $*" >> "$root/turbo-calls"',
        'echo "turbo output"',
        ...workspaceDeps.map((name) => `mkdir -p "$root/node_modules/${name}/dist" && : > "$root/node_modules/${name}/dist/index.js"`),
        'mkdir -p "$root/packages/cli/dist" && cp "$root/built-cli.js" "$root/packages/cli/dist/cli.js"',
      ].join('\n'),
    );
    await writeFile(path.join(root, 'built-cli.js'), "process.stdout.write('9.9.9\\n');\n");
    expect(await run(bin)).toEqual({
      code: 0,
      stdout: '9.9.9\n',
      stderr: 'vmtasks: building the command line and the packages it uses, once (as npm run build does)…\nturbo output\n',
    });
    const calls = async (): Promise<string[]> => (await readFile(path.join(root, 'turbo-calls'), 'utf8')).split('\n').filter(Boolean);
    expect(await calls()).toEqual(['turbo run build --filter=@vmtasks/cli... --output-logs=errors-only']);
    expect(await run(bin)).toEqual({ code: 0, stdout: '9.9.9\n', stderr: '' });

    // A workspace package whose dist/ went away is built again too.
    await rm(path.join(root, 'node_modules', workspaceDeps[0]!, 'dist'), { recursive: true });
    expect((await run(bin)).stderr).toContain('vmtasks: building');
    expect(await calls()).toHaveLength(2);
  });

  it('says in one line what to run when the build fails', async () => {
    const { bin } = await checkout('echo "error TS2322: nope" >&2\nexit 2');
    const result = await run(bin);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error TS2322: nope\n');
    expect(result.stderr).toMatch(/\nvmtasks: the build failed \(exit 2\); run `npm run build` to see why\n$/);
  });
});
