// How the tests start Debian's Chromium: one list of flags for the docs test (through
// playwright-core) and the privacy test (under strace), so that what the one proves the other uses.
// requireCommand comes by its subpath: testkit depends on spec-toolchain, so spec-toolchain cannot
// list testkit as a dependency (a cycle turbo refuses); the workspace links it all the same.
import { requireCommand } from '@vmtasks/testkit/commands';

/** The absolute path of Debian's Chromium (or of `CHROMIUM_PATH`), or one line saying to install it. */
export function requireChromium(): string {
  return requireCommand(process.env['CHROMIUM_PATH'] ?? 'chromium', 'chromium');
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Chromium's own services (sign-in, component updates) still looked up accounts.google.com and
  // update.googleapis.com with the flags above (seen with strace): no host name resolves at all.
  '--host-resolver-rules=MAP * ~NOTFOUND',
];
