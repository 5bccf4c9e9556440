import { visible } from '../server-text.js';

/** Longest label value exported, in characters: server text may be any length, a series should not. */
export const MAX_LABEL_CHARS = 128;

/** Distinct `kind` values kept per appliance; beyond that a server inventing kinds is counted under `other`. */
export const MAX_KINDS_PER_APPLIANCE = 64;

/**
 * A label value from untrusted text: control and invisible characters made visible (prom-client
 * escapes only `\`, `"` and newline), then cut to `MAX_LABEL_CHARS` (by code point, never inside a
 * surrogate pair) with `…` to show it was cut.
 */
export function labelValue(text: string): string {
  const shown = visible(text);
  const chars = Array.from(shown);
  return chars.length <= MAX_LABEL_CHARS ? shown : `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}

/** The `kind` labels of one appliance: at most `MAX_KINDS_PER_APPLIANCE` distinct values, then `other`. */
export class KindLabels {
  readonly #known = new Set<string>();

  label(kind: string | undefined): string {
    if (kind === undefined || kind === '') return 'unknown';
    const value = labelValue(kind);
    if (this.#known.has(value)) return value;
    if (this.#known.size >= MAX_KINDS_PER_APPLIANCE) return 'other';
    this.#known.add(value);
    return value;
  }
}
