#!/usr/bin/env node
// `vmtasks`: runs the built command (dist/). In a checkout of the repository right after
// `npm ci && npm run generate` nothing is built yet: the command and the workspace packages it
// imports are built first, once (turbo, as `npm run build` does), then it runs. An installed
// package has no src/ beside dist/, and goes straight to the import.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli.js', import.meta.url);
const turbo = fileURLToPath(new URL('../../../scripts/turbo', import.meta.url));

/** Whether `name` resolves to a file that exists (a workspace package's exports point into its dist/). */
function resolvable(name) {
  try {
    return existsSync(new URL(import.meta.resolve(name)));
  } catch {
    return false;
  }
}

function built() {
  const { dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return (
    existsSync(entry) &&
    Object.keys(dependencies)
      .filter((name) => name.startsWith('@vmtasks/'))
      .every(resolvable)
  );
}

if (existsSync(new URL('../src/cli.ts', import.meta.url)) && existsSync(turbo) && !built()) {
  process.stderr.write('vmtasks: building the command line and the packages it uses, once (as npm run build does)…\n');
  // Its output goes to stderr: stdout is the command's (`vmtasks tasks --json | jq`).
  const build = spawnSync(turbo, ['run', 'build', '--filter=@vmtasks/cli...', '--output-logs=errors-only'], { stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    process.stderr.write(
      `vmtasks: the build failed (${build.error?.message ?? `exit ${build.status}`}); run \`npm run build\` to see why\n`,
    );
    process.exit(1);
  }
}
await import(entry.href);
