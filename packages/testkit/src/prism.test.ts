import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { specOf } from './contract.js';
import { startPrism } from './prism.js';

// Lines only TypeScript has, so the compiled code's line numbers differ from this file's.
interface Probe {
  stack: string;
}
type Located = Probe & { line: number };

// Loading Prism's libraries took over 60 s under load (two test files loading it at once, load average 17 on 2 cores).
it('leaves stack traces pointing at the TypeScript source once Prism is loaded', { timeout: 300_000 }, async () => {
  const prism = await startPrism({ spec: await specOf('velostrata') });
  await prism.close();
  const probe: Located = { stack: new Error('probe').stack ?? '', line: 0 }; // the line the stack must name
  const source = (await readFile(new URL(import.meta.url), 'utf8')).split('\n');
  probe.line = source.findIndex((text) => text.includes('// the line the stack must name')) + 1;
  expect(probe.stack).toContain(`prism.test.ts:${probe.line}:`);
});
