// Packaging lint for every publishable package, as it would be published: publint (package.json
// fields against the packed files) and arethetypeswrong (types resolve the way the code does).
// The packages are ESM-only, so attw's profile is `esm-only` (CommonJS `require` is not offered).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { publishablePackages, root } from './workspace.js';

const exec = promisify(execFile);
const attw = path.join(root, 'node_modules/.bin/attw');
let failures = 0;

for (const pkg of await publishablePackages()) {
  const { messages, pkg: json } = await publint({ pkgDir: pkg.dir, level: 'suggestion', strict: true, pack: 'npm' });
  for (const message of messages) console.error(`${pkg.name}: publint ${message.type}: ${formatMessage(message, json, { color: false })}`);
  failures += messages.length;
  try {
    await exec(attw, ['--pack', pkg.dir, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color'], { maxBuffer: 16 * 2 ** 20 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    console.error(`${pkg.name}: arethetypeswrong found problems\n${stdout}${stderr}`);
    failures++;
    continue;
  }
  if (messages.length === 0) console.log(`${pkg.name}: publint and arethetypeswrong clean`);
}
process.exitCode = failures ? 1 : 0;
