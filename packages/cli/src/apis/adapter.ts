// What the API files share when they adapt a client to `TaskApi`.
import { readFileSync } from 'node:fs';
import { ApiError } from '@vmtasks/core';
import { UsageError } from '../exit-codes.js';
import type { ConnectionFlags, TlsConfig } from './task-api.js';

/** The API's answer, or undefined when it said 404 (no such task). */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** `id` alone when it is listed, else the listed ids that start with it. */
export function matching(idOrPrefix: string, listed: readonly string[]): string[] {
  return listed.includes(idOrPrefix) ? [idOrPrefix] : listed.filter((id) => id.startsWith(idOrPrefix));
}

export async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}

/** A CA file's text; exit 2 naming where the path came from when it cannot be read. */
export function readCa(path: string | undefined, source: string): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the CA file given by ${source} (${path}): ${code}`);
  }
}

/** TLS settings from a CA (flag, else environment variable) and `--insecure`; undefined for the defaults. */
export function tlsFrom(
  flags: ConnectionFlags,
  caFlag: unknown,
  caEnv: string,
  env: Record<string, string | undefined>,
  flagName: string,
): TlsConfig | undefined {
  const fromFlag = typeof caFlag === 'string' ? caFlag : undefined;
  const ca = readCa(fromFlag ?? env[caEnv], fromFlag ? flagName : caEnv);
  return tlsOf(ca, flags.insecure === true);
}

export function tlsOf(ca: string | undefined, insecure: boolean): TlsConfig | undefined {
  if (!ca && !insecure) return undefined;
  return { ...(ca ? { ca } : {}), ...(insecure ? { rejectUnauthorized: false as const } : {}) };
}

/** A string flag's value (commander leaves an unset one undefined). */
export const flagText = (flags: ConnectionFlags, name: string): string | undefined => {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
};
