import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const readmePath = path.resolve(import.meta.dirname, '../../../README.md');

export interface Snippet {
  code: string;
  /** False when the README marks the block `<!-- not run: why -->` (e.g. a program that watches forever). */
  run: boolean;
}

/** The ```ts blocks of one `## ` section of the README, in order. */
export async function readmeSnippets(section: string): Promise<Snippet[]> {
  const text = await readFile(readmePath, 'utf8');
  const start = text.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${section}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/(<!-- not run: [^>]*-->\n)?```ts\n([\s\S]*?)```/g)].map((match) => ({ code: match[2] ?? '', run: !match[1] }));
}
