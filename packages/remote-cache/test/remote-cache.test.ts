// The remote cache as CI jobs share it: a real turborepo-remote-cache server on 127.0.0.1, one
// clone that fills it, fresh clones that replay from it. Safe only if every task's key covers what
// shapes its output (else a clone replays stale types, green) and if a tampered artifact is refused.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadRegistry } from '@vmtasks/spec-toolchain';
import { repo, run } from '@vmtasks/spec-toolchain/test-workspace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dryRun,
  freshClone,
  pipelineRun,
  type RemoteCacheServer,
  remoteCacheEnv,
  snapshot,
  startRemoteCache,
  withDependents,
} from '../src/index.js';

/** What the clones really run (the tasks the generated types flow through), and every cacheable task of `npm test`, hashed only. */
const RUN = ['generate', 'lint', 'check:generated', 'build'];
const PIPELINE = [...RUN, 'typecheck', 'test', 'test:contract', 'typecheck:scripts'];

const signatureKey = randomBytes(32).toString('hex');
let storage: string;
let server: RemoteCacheServer;
let env: NodeJS.ProcessEnv;
let apis: string[];
/** The one state of the repository every clone checks out (edits made while the test runs do not count). */
let commit: string;
const clones: { dir: string; remove(): Promise<void> }[] = [];
const clone = async (): Promise<string> => {
  const made = await freshClone(repo, commit);
  clones.push(made);
  return made.dir;
};
/** Everything turbo printed, for the no-secrets check at the end. */
const printed: string[] = [];

const apiTasks = (api: string): string[] => ['lint', 'generate', 'check:generated'].map((task) => `@vmtasks/${api}#${task}`);

beforeAll(async () => {
  commit = await snapshot(repo);
  storage = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-remote-cache-'));
  server = await startRemoteCache(storage);
  env = remoteCacheEnv(server, signatureKey);
  apis = (await loadRegistry(path.join(repo, 'redocly.yaml'))).apis.map((api) => api.name);
});
afterAll(async () => {
  await server?.stop();
  for (const made of clones) await made.remove();
  if (storage) await rm(storage, { recursive: true, force: true });
});

describe('a shared, signed turbo remote cache', () => {
  let warm: string;
  let baseline: Awaited<ReturnType<typeof dryRun>>;

  it('fills from one clone, and a fresh clone replays every task from it, signed', async () => {
    const first = await pipelineRun(await clone(), RUN, env);
    printed.push(first.stdout, first.stderr);
    expect([...first.tasks.values()].every((task) => task.status === 'MISS')).toBe(true);
    const stored = await readdir(server.teamDir);
    for (const task of first.tasks.values()) expect(stored).toEqual(expect.arrayContaining([task.hash, `${task.hash}.tag`]));

    warm = await clone();
    const second = await pipelineRun(warm, RUN, env);
    printed.push(second.stdout, second.stderr);
    expect(second.stdout).toContain('FULL TURBO');
    const notReplayed = [...second.tasks].filter(([, task]) => task.status !== 'HIT' || task.source !== 'REMOTE').map(([id]) => id);
    expect(notReplayed).toEqual([]);
    expect(second.tasks.size).toBe(first.tasks.size);
    // What was replayed is the real thing: the generated types as committed, the built packages.
    expect((await run('git', ['status', '--porcelain'], warm)).stdout).toBe('');
    for (const api of apis) expect(existsSync(path.join(warm, `packages/${api}/dist/index.js`))).toBe(true);

    baseline = await dryRun(warm, PIPELINE, env);
    printed.push(baseline.text);
  });

  /** Hash changes of `edit` (made in the warm clone, undone after), against what it should change. */
  async function changedBy(
    edit: () => Promise<void>,
  ): Promise<{ changed: string[]; expected(direct: string[]): string[]; missed: string[] }> {
    await edit();
    try {
      const after = await dryRun(warm, PIPELINE, env);
      printed.push(after.text);
      const changed = [...after.tasks].filter(([id, task]) => baseline.tasks.get(id)?.hash !== task.hash).map(([id]) => id);
      const missed = [...after.tasks].filter(([, task]) => task.status === 'MISS').map(([id]) => id);
      return {
        changed: changed.sort(),
        // The tasks that read what changed, and every task downstream of one of them (turbo's graph).
        expected: (direct) => [...withDependents(direct, after.dependents)].filter((id) => after.tasks.has(id)).sort(),
        missed,
      };
    } finally {
      await run('git', ['checkout', '--quiet', '--', '.'], warm);
    }
  }

  /** Replaces `from` in a file of the warm clone; fails loudly if the file no longer has it. */
  const edit = (file: string, from: string | RegExp, to: string) => async (): Promise<void> => {
    const text = await readFile(path.join(warm, file), 'utf8');
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`${String(from)} not found in ${file}`);
    await writeFile(path.join(warm, file), changed);
  };

  it('misses, for each change, exactly the tasks it affects — and, of those in the cache, only those', async () => {
    const toolchainUsers = apis.flatMap(apiTasks);
    const scenarios: { name: string; change: () => Promise<void>; direct: string[]; mustMiss: string[]; mustHit: string[] }[] = [
      {
        name: "the generator's source",
        change: edit('packages/spec-toolchain/src/generate.ts', /$/, '\n// a change to the generator\n'),
        // The toolchain as its users run it (a task with no script: its key is the source and dependencies).
        direct: [
          '@vmtasks/spec-toolchain#build',
          '@vmtasks/spec-toolchain#typecheck',
          '@vmtasks/spec-toolchain#test',
          '@vmtasks/examples#test',
        ],
        mustMiss: toolchainUsers,
        mustHit: [],
      },
      {
        name: 'another openapi-typescript in the lock file',
        change: edit(
          'package-lock.json',
          /("node_modules\/openapi-typescript": \{\s+"version": ")([^"]+)(",\s+"integrity": ")([^"]+)/,
          '$1$2-other$3sha512-AnotherTarball==',
        ),
        direct: ['@vmtasks/spec-toolchain#build', '@vmtasks/spec-toolchain#typecheck', '@vmtasks/spec-toolchain#test'],
        mustMiss: toolchainUsers,
        mustHit: [],
      },
      {
        name: 'a rule in redocly.yaml',
        change: edit('redocly.yaml', /^ {2}operation-4xx-response: error$/m, '  operation-4xx-response: warn'),
        direct: [...toolchainUsers, '@vmtasks/spec-toolchain#test', '@vmtasks/testkit#test'],
        mustMiss: toolchainUsers,
        mustHit: ['@vmtasks/core#build', '@vmtasks/core#test'],
      },
      {
        name: 'an add-api template',
        change: edit('packages/spec-toolchain/templates/api/package/src/client.ts.tmpl', /$/, '\n// a change to the template\n'),
        // Only add-api reads the templates; its test is the one task they feed.
        direct: ['@vmtasks/spec-toolchain#test'],
        mustMiss: ['@vmtasks/spec-toolchain#test'],
        mustHit: [...toolchainUsers, '@vmtasks/spec-toolchain#typecheck'],
      },
      {
        name: 'one API spec (velostrata)',
        change: edit('specs/velostrata/openapi.yaml', 'description: Task progress\n', 'description: Task progress, in percent\n'),
        // Every task that reads specs/velostrata (directly or through specs/**).
        direct: [
          ...apiTasks('velostrata'),
          '@vmtasks/velostrata#test',
          '@vmtasks/velostrata#test:contract',
          '@vmtasks/simulator#test',
          '@vmtasks/testkit#test',
          '@vmtasks/spec-toolchain#test',
          '@vmtasks/examples#test',
        ],
        mustMiss: apiTasks('velostrata'),
        mustHit: [...apis.filter((api) => api !== 'velostrata').flatMap(apiTasks), '@vmtasks/snapservice#build', '@vmtasks/core#build'],
      },
    ];
    for (const scenario of scenarios) {
      const { changed, expected, missed } = await changedBy(scenario.change);
      // This test reads the whole pipeline's configuration and sources: every change is its input.
      expect(changed, scenario.name).toEqual(expected([...scenario.direct, '@vmtasks/remote-cache#test']));
      expect(changed, scenario.name).toEqual(expect.arrayContaining(scenario.mustMiss));
      for (const task of scenario.mustHit) expect(changed, `${scenario.name}: ${task} stays cached`).not.toContain(task);
      // The server agrees: of the tasks it holds, exactly the changed ones are misses now.
      const held = [...baseline.tasks].filter(([, task]) => task.status === 'HIT').map(([id]) => id);
      expect(held.filter((id) => missed.includes(id)).sort(), scenario.name).toEqual(held.filter((id) => changed.includes(id)).sort());
    }
  });

  it('reruns only the changed API after a spec edit and replays the rest, with the new types on disk', async () => {
    const spec = 'specs/velostrata/openapi.yaml';
    await edit(spec, 'description: Task progress\n', 'description: Task progress, in percent\n')();
    try {
      // Not check:generated: an edited spec whose types are not committed yet is stale by design
      // (it fails, as CI should), and turbo may run it before generate has written them.
      const edited = RUN.filter((task) => task !== 'check:generated');
      const result = await pipelineRun(warm, edited, env);
      printed.push(result.stdout, result.stderr);
      const ran = [...result.tasks].filter(([, task]) => task.status === 'MISS').map(([id]) => id);
      const generating = (api: string) => apiTasks(api).filter((task) => !task.endsWith('#check:generated'));
      expect(ran).toEqual(expect.arrayContaining(generating('velostrata')));
      for (const task of apis.filter((api) => api !== 'velostrata').flatMap(generating)) expect(ran).not.toContain(task);
      expect(await readFile(path.join(warm, 'packages/velostrata/src/generated/openapi.ts'), 'utf8')).toContain(
        'Task progress, in percent',
      );
    } finally {
      await run('git', ['checkout', '--quiet', '--', '.'], warm);
    }
  });

  it('refuses a tampered artifact — a signed one moved under another hash, or one with a flipped byte — and rebuilds it', async () => {
    const tasks = baseline.tasks;
    const hashOf = (id: string): string => {
      const hash = tasks.get(id)?.hash;
      if (!hash) throw new Error(`no ${id} in the pipeline`);
      return hash;
    };
    const stored = (name: string): string => path.join(server.teamDir, name);
    // A well-formed, validly signed artifact of another task, with its signature, under this task's hash.
    const generate = hashOf('@vmtasks/velostrata#generate');
    const other = hashOf('@vmtasks/snapservice#generate');
    await writeFile(stored(generate), await readFile(stored(other)));
    await writeFile(stored(`${generate}.tag`), await readFile(stored(`${other}.tag`)));
    // One flipped byte in the middle of another.
    const build = hashOf('@vmtasks/velostrata#build');
    const bytes = await readFile(stored(build));
    bytes[bytes.length >> 1]! ^= 0xff;
    await writeFile(stored(build), bytes);

    const fresh = await clone();
    const result = await pipelineRun(fresh, RUN, env);
    printed.push(result.stdout, result.stderr);
    const ran = [...result.tasks].filter(([, task]) => task.status === 'MISS').map(([id]) => id);
    expect(ran.sort()).toEqual(['@vmtasks/velostrata#build', '@vmtasks/velostrata#generate']);
    // Rebuilt, not replayed: the committed velostrata types (not snapservice's), and its build.
    expect((await run('git', ['status', '--porcelain'], fresh)).stdout).toBe('');
    expect(existsSync(path.join(fresh, 'packages/velostrata/dist/index.js'))).toBe(true);
  });

  it('keeps secrets out of keys, artifacts and output', async () => {
    // Variables that carry secrets in CI change no task's key.
    const secrets: NodeJS.ProcessEnv = {
      VELOSTRATA_PASSWORD: `velostrata-${randomBytes(12).toString('hex')}`,
      VELOSTRATA_URL: 'https://velostrata.invalid',
      SNAPSERVICE_SESSION_ID: `session-${randomBytes(12).toString('hex')}`,
      NPM_TOKEN: `npm-${randomBytes(12).toString('hex')}`,
      GITHUB_TOKEN: `gh-${randomBytes(12).toString('hex')}`,
      AWS_SECRET_ACCESS_KEY: `aws-${randomBytes(12).toString('hex')}`,
    };
    const withSecrets = await dryRun(warm, PIPELINE, { ...env, ...secrets });
    printed.push(withSecrets.text);
    const changed = [...withSecrets.tasks].filter(([id, task]) => baseline.tasks.get(id)?.hash !== task.hash).map(([id]) => id);
    expect(changed).toEqual([]);

    const needles = [server.token, signatureKey, ...Object.values(secrets).filter((value): value is string => Boolean(value))];
    const leaks = (where: string, text: string): string[] => needles.filter((needle) => text.includes(needle)).map(() => where);
    const found: string[] = [];
    printed.forEach((text, i) => found.push(...leaks(`turbo output ${i}`, text)));
    found.push(...leaks('server log', server.log()));
    // The stored artifacts, as stored, and as turbo unpacked them into the clone that replayed them.
    for (const name of await readdir(server.teamDir))
      found.push(...leaks(name, (await readFile(path.join(server.teamDir, name))).toString('latin1')));
    for (const pkg of await readdir(path.join(warm, 'packages'))) {
      for (const folder of ['dist', 'src/generated', '.turbo']) {
        const dir = path.join(warm, 'packages', pkg, folder);
        if (!existsSync(dir)) continue;
        for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
          if (entry.isFile())
            found.push(...leaks(path.join(pkg, folder, entry.name), await readFile(path.join(entry.parentPath, entry.name), 'utf8')));
        }
      }
    }
    expect(found).toEqual([]);
  });
});
