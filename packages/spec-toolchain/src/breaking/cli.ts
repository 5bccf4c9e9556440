import { parseArgs } from 'node:util';
import { checkBreaking, gatePassed } from './gate.js';
import { formatReport } from './report.js';

const USAGE = `usage: vmtasks-breaking [--base <ref>]

Compares each API of redocly.yaml with its base (the merge-base with main on a branch, else the
package's last release tag, else HEAD), lets the TypeScript compiler judge whether code written
against the base still compiles, and checks that .changeset/ has a major changeset for every
breaking change and at least a patch one for any other change. Exit 1 when one is missing.`;

try {
  const { values } = parseArgs({ options: { base: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const verdicts = await checkBreaking({ base: values.base ?? process.env['VMTASKS_BREAKING_BASE'] });
  console.log(formatReport(verdicts));
  process.exitCode = gatePassed(verdicts) ? 0 : 1;
} catch (error) {
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
