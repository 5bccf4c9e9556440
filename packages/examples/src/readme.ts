import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const readmePath = path.resolve(import.meta.dirname, '../../../README.md');

/** The ```ts blocks of one `## ` section of the README, in order. */
export async function readmeSnippets(section: string): Promise<string[]> {
  const text = await readFile(readmePath, 'utf8');
  const start = text.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${section}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}
