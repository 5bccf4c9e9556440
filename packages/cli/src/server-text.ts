import type { Redactor, TaskSnapshot, TransientFailure, WatchEvent } from '@vmtasks/core';

// What never reaches a terminal as itself: every control character (C0, DEL, C1), line and
// paragraph separators, lone surrogates, and the invisible format characters — bidi overrides
// and isolates, zero-width spaces, tag characters — except ZWNJ and ZWJ, which join scripts and
// emoji and cannot move the cursor or reorder text.
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]|(?![\u200C\u200D])\p{Cf}/gu;
// The same, minus what JSON.stringify already escapes (C0 controls, lone surrogates): in its
// output a raw C0 character can only be the indentation's newline.
const UNSAFE_IN_JSON = /[\u007F-\u009F\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/gu;

const hex = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

/**
 * Text from a server as a terminal may show it: C0 controls and DEL in caret notation (`^[` for
 * ESC, `^M` for CR, `^?` for DEL), as `cat -v` and `less` write them; every other unsafe
 * character as `<U+XXXX>` (`<U+009B>`, `<U+202E>`).
 */
export function visible(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.codePointAt(0)!;
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    return code === 0x7f ? '^?' : `<U+${hex(code)}>`;
  });
}

/** JSON in which every character `visible` would mark is a `\uXXXX` escape: the values are exact, the bytes harmless. */
export function jsonText(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(UNSAFE_IN_JSON, (char) =>
    Array.from({ length: char.length }, (_, i) => `\\u${hex(char.charCodeAt(i)).toLowerCase()}`).join(''),
  );
}

/**
 * The one gate every string from a server passes on its way in (see sources.ts): known secrets
 * are redacted first, whole, before anything is measured or cut; then, for output read by people,
 * unsafe characters are made visible, so widths are computed on what is shown. JSON output keeps
 * the exact (redacted) values and escapes them when written (`jsonText`). Error messages are
 * prose for people whatever the output: always made visible.
 */
export class ServerText {
  readonly #redactor: Redactor;
  readonly #forPeople: boolean;

  constructor(redactor: Redactor, options: { forPeople: boolean }) {
    this.#redactor = redactor;
    this.#forPeople = options.forPeople;
  }

  text(value: string): string {
    const redacted = this.#redactor.text(value);
    return this.#forPeople ? visible(redacted) : redacted;
  }

  snapshot(snapshot: TaskSnapshot): TaskSnapshot {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(snapshot)) copy[key] = typeof value === 'string' ? this.text(value) : value;
    return copy as unknown as TaskSnapshot;
  }

  event<Item>(event: WatchEvent<Item>): WatchEvent<Item> {
    switch (event.type) {
      case 'transient-failure':
        return this.trouble(event);
      case 'stalled':
        return { ...event, lastError: this.error(event.lastError) };
      case 'polled':
      case 'recovered':
        return event;
      case 'changed':
      case 'finished':
        return {
          ...event,
          snapshot: this.snapshot(event.snapshot),
          previous: event.previous && this.snapshot(event.previous),
          item: this.#redactor.value(event.item) as Item,
        } as WatchEvent<Item>;
      default:
        return { ...event, snapshot: this.snapshot(event.snapshot), item: this.#redactor.value(event.item) as Item };
    }
  }

  /** Any JSON value from a server (an API's own answer), every string in it, keys included, as `text` makes it. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.text(key), this.value(item)]));
  }

  trouble(notice: TransientFailure): TransientFailure {
    return { ...notice, error: this.error(notice.error) };
  }

  /** The same error, redacted throughout (message, fields, cause chain), its message made visible. */
  error<E>(error: E): E {
    if (!(error instanceof Error)) return error;
    this.#redactor.error(error);
    error.message = visible(error.message);
    return error;
  }
}
