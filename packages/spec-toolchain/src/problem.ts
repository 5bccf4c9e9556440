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

// js-yaml reports `… in "file" (line:col)`; keep the reason, move the place to the front.
const YAML_PLACE = /^(.*?)(?: in "([^"]+)")? \((\d+):(\d+)\)\s*$/s;

/** A YAML syntax error (Redocly's YamlParseError, or js-yaml's own) as a problem at its place. */
export function yamlProblem(
  error: { message: string; line: number; col: number; source?: { absoluteRef: string } },
  fallbackFile: string,
  rootDir: string,
): SpecProblem {
  const match = YAML_PLACE.exec(error.message.split('\n')[0] ?? '');
  const file = match?.[2] ?? error.source?.absoluteRef ?? fallbackFile;
  return {
    file: path.relative(rootDir, file),
    line: Number(match?.[3] ?? error.line + 1),
    column: Number(match?.[4] ?? error.col + 1),
    rule: 'yaml-syntax',
    message: match?.[1] ?? error.message,
    severity: 'error',
  };
}
