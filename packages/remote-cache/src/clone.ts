import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const git = async (cwd: string, ...args: string[]): Promise<string> =>
  (await promisify(execFile)('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })).stdout.trim();

/**
 * Gives `clone` the dependencies installed in `repo` without another `npm ci` (a minute or more
 * on a loaded machine): each node_modules folder of the clone is a real folder whose entries point
 * at the installed packages, except what must be the clone's own — the workspace links
 * (`@vmtasks/*`, relative, so they resolve to the clone's packages), the `.bin` links (relative
 * too: `vmtasks-codegen` runs the clone's generator) and the `.cache` folders (the clone builds
 * its own, as after `npm ci`).
 */
async function linkInstalledDependencies(repo: string, clone: string, folder: string): Promise<void> {
  const from = path.join(repo, folder);
  const to = path.join(clone, folder);
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.name === '.cache' || entry.name === '.package-lock.json') continue;
    if (entry.name === '.bin' || entry.name === '@vmtasks') {
      await mkdir(path.join(to, entry.name));
      for (const link of await readdir(path.join(from, entry.name))) {
        await symlink(await readlink(path.join(from, entry.name, link)), path.join(to, entry.name, link));
      }
      continue;
    }
    await symlink(path.join(from, entry.name), path.join(to, entry.name));
  }
}

/**
 * A commit of the tracked files of `repo` as they are now: HEAD plus the uncommitted edits of
 * tracked files (`git stash create`, which changes nothing in `repo`; untracked files are not in
 * it). Clones made from one snapshot are identical even if the work tree changes meanwhile.
 */
export async function snapshot(repo: string): Promise<string> {
  // A clean tree (CI's fresh clone) is HEAD, read without taking git's index lock: other suites
  // run git in this repository at the same time, and `stash create` failed on their lock once.
  const edited = await git(repo, '--no-optional-locks', 'status', '--porcelain', '--untracked-files=no');
  if (edited === '') return git(repo, 'rev-parse', 'HEAD');
  return (await git(repo, 'stash', 'create')) || (await git(repo, 'rev-parse', 'HEAD'));
}

/**
 * A fresh clone of `repo` in a temporary folder, checked out at `commit` (see snapshot), with
 * `repo`'s installed dependencies linked in (see above). Nothing of `repo`'s build output or
 * caches comes along: no dist/, no .turbo/, no generator cache.
 */
export async function freshClone(repo: string, commit: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-clone-'));
  try {
    await git(os.tmpdir(), 'clone', '--quiet', '--shared', '--no-checkout', repo, dir);
    await git(dir, 'checkout', '--quiet', '--detach', commit);
    await linkInstalledDependencies(repo, dir, 'node_modules');
    for (const pkg of await readdir(path.join(dir, 'packages'))) {
      const folder = path.join('packages', pkg, 'node_modules');
      if (existsSync(path.join(repo, folder))) await linkInstalledDependencies(repo, dir, folder);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
