// The system programs some tests start (Chromium, strace, openssl) come from Debian packages, not
// npm: when one is missing, the test fails at once with the one line that says what to install,
// rather than with a spawn ENOENT deep in a stack. No imports but Node's: spec-toolchain's tests use
// it too, and testkit depends on spec-toolchain.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where `command` is (a path, or a name looked up on `PATH`), or undefined when it is not there. */
export function findCommand(command: string): string | undefined {
  if (command.includes('/')) return isExecutableFile(command) ? path.resolve(command) : undefined;
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The absolute path of `command`, or an Error of one line naming the Debian package that brings
 * it: `strace not found: apt-get install strace`.
 */
export function requireCommand(command: string, debianPackage: string): string {
  const found = findCommand(command);
  if (found === undefined) throw new Error(`${command} not found: apt-get install ${debianPackage}`);
  return found;
}
