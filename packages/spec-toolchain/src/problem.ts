import path from 'node:path';

/** One problem of a spec, located in its file. */
export interface SpecProblem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  severity: 'error' | 'warn';
}

/** `file:line:col rule message`, the shape editors and terminals turn into links. */
export function formatProblem(problem: SpecProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return `${where} ${problem.rule} ${problem.message}${problem.severity === 'warn' ? ' (warning)' : ''}`;
}

/**
 * Why a file cannot be read, in words without its absolute path (the caller names the file):
 * `missing-file` when it does not exist (deleted, or renamed away: watch mode picks it up again
 * when it comes back), else `unreadable-file`.
 */
export function unreadableFile(cause: Error & { code?: unknown }): { rule: string; message: string } {
  if (cause.code === 'ENOENT') return { rule: 'missing-file', message: 'the file does not exist' };
  if (cause.code === 'EISDIR' || /folder|directory/i.test(cause.message))
    return { rule: 'unreadable-file', message: 'a folder, not a file' };
  return { rule: 'unreadable-file', message: `cannot be read (${typeof cause.code === 'string' ? cause.code : cause.name})` };
}

/** The 1-based place of a js-yaml YAMLException (its `mark` counts from 0), if it has one. */
export function yamlMarkPlace(error: unknown): { line: number; column: number } | undefined {
  const mark = typeof error === 'object' && error !== null ? (error as { mark?: unknown }).mark : undefined;
  if (typeof mark !== 'object' || mark === null) return undefined;
  const { line, column } = mark as { line?: unknown; column?: unknown };
  return typeof line === 'number' && typeof column === 'number' ? { line: line + 1, column: column + 1 } : undefined;
}

// js-yaml reports `… in "file" (line:col)`; keep the reason, move the place to the front.
const YAML_PLACE = /^(.*?)(?: in "([^"]+)")? \((\d+):(\d+)\)\s*$/s;

/**
 * A YAML syntax error as a problem at its place: the one its message names, else `place`
 * (1-based; from js-yaml's 0-based `mark`, see `yamlMarkPlace`), else the file's start.
 */
export function yamlProblem(
  error: { message: string; source?: { absoluteRef: string; body?: string } },
  place: { line: number; column: number } | undefined,
  fallbackFile: string,
  rootDir: string,
  text: string | undefined = error.source?.body,
): SpecProblem {
  const match = YAML_PLACE.exec(error.message.split('\n')[0] ?? '');
  const file = match?.[2] ?? error.source?.absoluteRef ?? fallbackFile;
  const problem: SpecProblem = {
    file: path.relative(rootDir, file),
    line: match ? Number(match[3]) : (place?.line ?? 1),
    column: match ? Number(match[4]) : (place?.column ?? 1),
    rule: 'yaml-syntax',
    message: match?.[1] ?? error.message,
    severity: 'error',
  };
  const unclosed = /unexpected end of the stream within a (double|single) quoted scalar/.exec(problem.message);
  const opening = unclosed && text !== undefined ? openingQuote(text, unclosed[1] === 'double' ? '"' : "'") : undefined;
  if (unclosed && text !== undefined && opening !== undefined) {
    const kind = unclosed[1] === 'double' ? 'a double' : 'a single';
    return {
      ...problem,
      ...offsetPlace(text, opening),
      message: `${kind} quote opened here is never closed (the string runs to the end of the file)`,
    };
  }
  return problem;
}

/**
 * Where the quoted string that runs to the end of `text` opens. Everything after its opening
 * quote belongs to it, so that quote is the last one that does not count as escaped: for `"`, the
 * last one not preceded by an odd number of backslashes; for `'` (doubled inside), the first of
 * the last run of odd length.
 */
export function openingQuote(text: string, quote: '"' | "'"): number | undefined {
  for (let at = text.length - 1; at >= 0; at--) {
    if (text[at] !== quote) continue;
    if (quote === '"') {
      let slashes = 0;
      while (text[at - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) return at;
      continue;
    }
    let start = at;
    while (text[start - 1] === quote) start--;
    if ((at - start + 1) % 2 === 1) return start;
    at = start;
  }
  return undefined;
}

/** The 1-based line and column of a character offset of `text`. */
export function offsetPlace(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
