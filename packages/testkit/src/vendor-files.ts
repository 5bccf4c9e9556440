// Where the vendors' own descriptions and reference pages are, when this machine has them. They
// live beside the repository, never in it (they are not the project's to copy), so a clone
// anywhere else has none: the facts the tests check against them are restated in vendor-facts/
// and always checked; what reads the vendor files themselves runs only where they are.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

export interface VendorFolder {
  /** The setting that moves it, e.g. `VMTASKS_OFFICIAL_DIR`. */
  variable: string;
  /** Absolute path (a relative setting is taken from the repository root). */
  dir: string;
  present: boolean;
  /** A file in it. */
  file(name: string): string;
}

function vendorFolder(variable: string, fallback: string): VendorFolder {
  const dir = path.resolve(repoRoot, process.env[variable] || fallback);
  return { variable, dir, present: existsSync(dir), file: (name) => path.join(dir, name) };
}

/** The vendors' API descriptions: `VMTASKS_OFFICIAL_DIR`, default `../shared/official` from the repository root. */
export function officialDir(): VendorFolder {
  return vendorFolder('VMTASKS_OFFICIAL_DIR', '../shared/official');
}

/** The vendors' reference pages saved as text: `VMTASKS_SEEDS_DIR`, default `../shared/seeds` from the repository root. */
export function seedsDir(): VendorFolder {
  return vendorFolder('VMTASKS_SEEDS_DIR', '../shared/seeds');
}

/** The facts the tests check, restated from the vendor files by this project: `vendor-facts/<api>.yaml`. */
export function vendorFacts(api: 'snapservice' | 'velostrata'): string {
  return path.join(import.meta.dirname, 'vendor-facts', `${api}.yaml`);
}

/**
 * A `describe` block that needs every folder given: it runs when they all exist, and otherwise is
 * skipped with one line saying which is missing and how to point at it.
 */
export function describeWithVendorFiles(title: string, folders: readonly VendorFolder[], body: () => void): void {
  const missing = folders.filter((folder) => !folder.present);
  if (missing.length > 0) {
    const where = missing.map((folder) => `${folder.dir} (${folder.variable})`).join(', ');
    console.log(`skipped "${title}": no ${where}`);
  }
  describe.skipIf(missing.length > 0)(title, body);
}
