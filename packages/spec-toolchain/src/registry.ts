import { readFile } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { redoclyCore } from './deps.js';
import { formatProblem, unreadableFile, yamlMarkPlace, yamlProblem } from './problem.js';
import { escapePointer, pointerPlace, problemAt } from './spec-place.js';

/** One API of `redocly.yaml`: where its spec is and where its generated types go. */
export interface ApiEntry {
  /** The key under `apis:` in redocly.yaml, e.g. `velostrata`. */
  name: string;
  /** Absolute path of the root spec file. */
  root: string;
  /** Absolute path of the generated TypeScript file (`x-openapi-ts.output`). */
  output: string;
}

export interface Registry {
  /** Absolute path of redocly.yaml; every path in it is relative to its folder. */
  configPath: string;
  rootDir: string;
  apis: ApiEntry[];
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

const CONFIG_FILE = 'redocly.yaml';

/** Walks up from `from` to the nearest redocly.yaml. */
export function findConfig(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new RegistryError(`no ${CONFIG_FILE} found in ${from} or any parent folder`);
    dir = parent;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The folder an API's spec lives in: all its files must be there, since it is what turbo hashes
 * for the API's tasks (`specs/<api>/**`) and what dev mode watches.
 */
export const apiFolder = (api: ApiEntry): string => path.dirname(api.root);

/** Whether `file` lies in the API's folder (see `apiFolder`). */
export const inApiFolder = (api: ApiEntry, file: string): boolean => path.resolve(file).startsWith(apiFolder(api) + path.sep);

/**
 * redocly.yaml, parsed. A file that cannot be read, or a YAML error (`redocly.yaml:line:col
 * yaml-syntax reason`), is a RegistryError that names the file relative to its folder.
 */
export async function readConfigYaml(configPath: string): Promise<unknown> {
  return (await readConfigSource(configPath)).parsed;
}

/** redocly.yaml as text and parsed (see readConfigYaml): the text places its problems. */
async function readConfigSource(configPath: string): Promise<{ text: string; parsed: unknown }> {
  const rootDir = path.dirname(configPath);
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw new RegistryError(`${path.relative(process.cwd(), configPath) || configPath}: ${unreadableFile(error).message}`);
  }
  try {
    return { text, parsed: redoclyCore.parseYaml(text) };
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'YAMLException') throw error;
    throw new RegistryError(formatProblem(yamlProblem(error, yamlMarkPlace(error), configPath, rootDir, text)));
  }
}

/**
 * What an API may be called: it becomes a folder, a file name (`docs/<name>.html`), an npm
 * package (`@vmtasks/<name>`), identifiers and a comment in generated code. Lower-case words
 * joined by "-", at most 50 characters: nothing there can escape any of them.
 */
export const API_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const API_NAME_MAX = 50;

/** Why `name` cannot name an API, or undefined when it can. */
export function apiNameProblem(name: string): string | undefined {
  if (API_NAME.test(name) && name.length <= API_NAME_MAX) return undefined;
  const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
  return `${shown} is not a valid API name: lower-case letters and digits, words joined by "-" (e.g. inventory, vm-inventory), at most ${API_NAME_MAX} characters`;
}

const isUrl = (value: unknown): boolean => typeof value === 'string' && /^[a-z][a-z0-9+.-]+:/i.test(value);

/**
 * Where redocly.yaml points Redocly at a URL — a `$ref`, an `extends` preset or a plugin —
 * which it would fetch when loading the lint configuration.
 */
function remoteConfigPointer(node: unknown, at: string[]): string[] | undefined {
  if (Array.isArray(node)) {
    const key = at[at.length - 1];
    for (const [index, item] of node.entries()) {
      if ((key === 'extends' || key === 'plugins') && isUrl(item)) return [...at, String(index)];
      const found = remoteConfigPointer(item, [...at, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if ((key === '$ref' || key === 'extends') && isUrl(value)) return [...at, key];
    const found = remoteConfigPointer(value, [...at, key]);
    if (found) return found;
  }
  return undefined;
}

const atPath = (node: unknown, keys: readonly string[]): unknown =>
  keys.reduce<unknown>(
    (value, key) => (isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined),
    node,
  );

/** Whether `file`, its symlinks followed as far as it exists, is inside `dir`. */
function realInside(dir: string, file: string): boolean {
  let existing = path.resolve(file);
  let rest = '';
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    rest = path.join(path.basename(existing), rest);
    existing = path.dirname(existing);
  }
  const real = path.join(realpathSync(existing), rest);
  return real.startsWith(realpathSync(dir) + path.sep);
}

/** Reads the `apis` of redocly.yaml: the single list of APIs the project builds. */
export async function loadRegistry(configPath: string = findConfig()): Promise<Registry> {
  const rootDir = path.dirname(configPath);
  const shown = path.relative(rootDir, configPath);
  const { text, parsed: raw } = await readConfigSource(configPath);
  const apis = isRecord(raw) ? raw['apis'] : undefined;
  if (!isRecord(apis)) throw new RegistryError(`${shown}: no \`apis\` map`);
  const source = new redoclyCore.Source(configPath, text);
  const refuse = (pointer: string[], rule: string, message: string, onKey = false): never => {
    const place = pointerPlace(source, `#/${pointer.map(escapePointer).join('/')}`, onKey);
    throw new RegistryError(formatProblem(problemAt(place, rootDir, rule, message)));
  };
  const remote = remoteConfigPointer(raw, []);
  if (remote) {
    refuse(
      remote,
      'remote-config',
      `${JSON.stringify(remote.length > 0 ? atPath(raw, remote) : '')} is a URL: the toolchain never fetches anything; put the configuration in the repository`,
    );
  }
  const entries: ApiEntry[] = [];
  for (const [name, value] of Object.entries(apis)) {
    const badName = apiNameProblem(name);
    if (badName) refuse(['apis', name], 'api-name', badName, true);
    const root = isRecord(value) ? value['root'] : undefined;
    const options = isRecord(value) ? value['x-openapi-ts'] : undefined;
    const output = isRecord(options) ? options['output'] : undefined;
    if (typeof root !== 'string') throw new RegistryError(`${shown}: apis.${name} has no \`root\``);
    if (typeof output !== 'string') {
      throw new RegistryError(`${shown}: apis.${name} has no \`x-openapi-ts.output\``);
    }
    if (!realInside(rootDir, path.resolve(rootDir, output))) {
      refuse(
        ['apis', name, 'x-openapi-ts', 'output'],
        'output-outside-repository',
        `${JSON.stringify(output)} is outside ${path.basename(rootDir)}/ (the folder of ${shown}): generated code is written only inside the repository`,
      );
    }
    entries.push({ name, root: path.resolve(rootDir, root), output: path.resolve(rootDir, output) });
  }
  return { configPath, rootDir, apis: entries };
}

/** The entries named in `names`, or all of them; an unknown name is an error, not a silent skip. */
export function selectApis(registry: Registry, names: readonly string[]): ApiEntry[] {
  if (names.length === 0) return registry.apis;
  return names.map((name) => {
    const api = registry.apis.find((entry) => entry.name === name);
    if (!api) {
      const known = registry.apis.map((entry) => entry.name).join(', ');
      throw new RegistryError(`unknown API "${name}" (redocly.yaml lists: ${known})`);
    }
    return api;
  });
}
