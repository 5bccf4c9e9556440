// The packages this repository publishes: every workspace without `"private": true`, found the
// way changesets finds them (@manypkg/get-packages), so a new package is picked up without edits.
import path from 'node:path';
import { getPackages } from '@manypkg/get-packages';

export const root = path.resolve(import.meta.dirname, '../..');

export interface EntryPoint {
  /** The export subpath, e.g. `.` or `./public`. */
  subpath: string;
  /** Absolute path of its built declarations. */
  types: string;
}

export interface PublishablePackage {
  name: string;
  version: string;
  dir: string;
  entryPoints: EntryPoint[];
  bin: Record<string, string>;
}

type Exports = Record<string, string | { types?: string } | undefined>;

export async function publishablePackages(): Promise<PublishablePackage[]> {
  const { packages } = await getPackages(root);
  return packages
    .filter((pkg) => pkg.packageJson.private !== true)
    .map((pkg) => {
      const json = pkg.packageJson as typeof pkg.packageJson & { exports?: Exports; bin?: string | Record<string, string> };
      const entryPoints = Object.entries(json.exports ?? {}).flatMap(([subpath, target]) => {
        const types = typeof target === 'object' ? target?.types : undefined;
        return types ? [{ subpath, types: path.join(pkg.dir, types) }] : [];
      });
      const unscoped = json.name.replace(/^@[^/]+\//, '');
      const bin = typeof json.bin === 'string' ? { [unscoped]: json.bin } : (json.bin ?? {});
      return { name: json.name, version: json.version, dir: pkg.dir, entryPoints, bin };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
