import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a cache file through a file of this process's own and a rename: two turbo tasks may fill
 * the same cache at once, and neither ever reads the other's half-written file.
 * @param {string} file
 * @param {string | Uint8Array} content
 */
export function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}
