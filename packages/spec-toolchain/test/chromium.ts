// How the tests start Debian's Chromium: one list of flags for the docs test (through
// playwright-core) and the privacy test (under strace), so that what the one proves the other uses.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
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
