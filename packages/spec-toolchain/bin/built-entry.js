import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `dist/<entry>.js` when `npm run build` made it after the last change to anything it is built from
 * (src/ and its folders, where a deleted file shows; build.mjs, package.json, the lock file), by
 * mtime; otherwise undefined, and `src/<entry>.ts` runs instead: an edited toolchain never runs
 * stale code, only slower until the next build.
 * @param {string} packageDir
 * @param {string} entry  e.g. `cli` or `breaking/cli`
 * @returns {string | undefined}
 */
export function builtEntry(packageDir, entry) {
  const built = path.join(packageDir, 'dist', `${entry}.js`);
  let builtAt;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    return undefined;
  }
  const src = path.join(packageDir, 'src');
  const inputs = [
    path.join(packageDir, 'build.mjs'),
    path.join(packageDir, 'package.json'),
    path.join(packageDir, '../../package-lock.json'),
    src,
    ...readdirSync(src, { recursive: true, encoding: 'utf8' }).map((name) => path.join(src, name)),
  ];
  for (const input of inputs) {
    let changedAt;
    try {
      changedAt = statSync(input).mtimeMs;
    } catch {
      continue; // no lock file (the package installed elsewhere), say
    }
    if (changedAt > builtAt) return undefined;
  }
  return built;
}

/**
 * Runs `entry`: built (see builtEntry) when it can, else `src/<entry>.ts` through tsx.
 * @param {string} packageDir
 * @param {string} entry
 * @returns {Promise<unknown>}
 */
export async function importEntry(packageDir, entry) {
  const built = builtEntry(packageDir, entry);
  if (built) return import(pathToFileURL(built).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(path.join(packageDir, 'src', `${entry}.ts`)).href);
}
