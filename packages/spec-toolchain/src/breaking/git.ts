import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await exec('git', args, { cwd, maxBuffer: 64 * 2 ** 20 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** The commit the working tree is compared with, and how it was chosen. */
export interface Base {
  sha: string;
  label: string;
}

/**
 * The base for one package: an explicit ref; else, on a branch that has diverged from main, the
 * merge-base with main (what the pull request changes); else the package's last release tag
 * (`<name>@<version>`, written by `changeset tag`); else HEAD (only uncommitted changes count).
 * Undefined when `cwd` is not a git work tree with a commit.
 */
export async function resolveBase(cwd: string, packageName: string, explicit?: string): Promise<Base | undefined> {
  const head = await git(cwd, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}');
  if (!head) return undefined;
  if (explicit) {
    const sha = await git(cwd, 'rev-parse', '--verify', '--quiet', `${explicit}^{commit}`);
    if (!sha) throw new Error(`base "${explicit}" is not a commit in this repository`);
    return { sha, label: explicit };
  }
  for (const main of ['main', 'origin/main']) {
    if (!(await git(cwd, 'rev-parse', '--verify', '--quiet', `${main}^{commit}`))) continue;
    const mergeBase = await git(cwd, 'merge-base', 'HEAD', main);
    if (mergeBase && mergeBase !== head) return { sha: mergeBase, label: `merge-base with ${main}` };
    break;
  }
  const tag = await git(cwd, 'describe', '--tags', '--abbrev=0', '--match', `${packageName}@*`, 'HEAD');
  if (tag) {
    const sha = await git(cwd, 'rev-parse', `${tag}^{commit}`);
    if (sha) return { sha, label: `last release ${tag}` };
  }
  return { sha: head, label: 'HEAD (uncommitted changes)' };
}

/** The tree of `sha` in a temporary folder (git archive: no checkout, the repository is untouched). */
export async function extractTree(cwd: string, sha: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-base-'));
  await exec('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', sha, dir], { cwd, maxBuffer: 64 * 2 ** 20 });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The contents of `file` (relative to the repository root) at `sha`, or undefined when absent. */
export function showFile(cwd: string, sha: string, file: string): Promise<string | undefined> {
  return git(cwd, 'show', `${sha}:${file}`);
}
