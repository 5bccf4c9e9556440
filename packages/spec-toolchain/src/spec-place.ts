import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Source } from '@redocly/openapi-core';
import { redoclyCore } from './deps.js';
import type { SpecProblem } from './problem.js';

/** A place in a file, 1-based. */
export interface Place {
  file: string;
  line: number;
  column: number;
}

/** The place of the node at a JSON pointer (`#/paths/~1x/get`) of a parsed file; its key's place when `onKey`. */
export function pointerPlace(source: Source, pointer: string, onKey = false): Place {
  const { start } = redoclyCore.getLineColLocation({ source, pointer, reportOnKey: onKey });
  return { file: source.absoluteRef, line: start.line, column: start.col };
}

/** A key as a segment of the pointers Redocly reads (`/`, `~` escaped; `%` too: it URI-decodes them). */
export const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1').replace(/%/g, '%25');

/** A pointer segment as a key (see escapePointer); a `%` that starts no escape stays as it is. */
export function unescapePointer(segment: string): string {
  const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** A problem at `place`, its file shown relative to `rootDir`. */
export function problemAt(place: Place, rootDir: string, rule: string, message: string): SpecProblem {
  return { file: path.relative(rootDir, place.file), line: place.line, column: place.column, rule, message, severity: 'error' };
}

// `$ref: target`, `"$ref": "target"`, `externalValue: target` (Redocly follows both): the target up to its `#`.
const REF_TARGET = /(\$ref|externalValue)['"]?\s*:\s*['"]?([^'"#\s,}]+)/g;

/**
 * Where `file` names `target` in a `$ref` (or an example's `externalValue`): the column of the
 * key on the first line that has it, else the file's start. Read from the text: the target need
 * not exist, and the reference may be anywhere in the document.
 */
export function refPlace(file: string, target: string): Place {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Unreadable: the file's start.
  }
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    for (const match of line.matchAll(REF_TARGET)) {
      if (match[2] === target) return { file, line: index + 1, column: match.index + 1 };
    }
  }
  return { file, line: 1, column: 1 };
}
