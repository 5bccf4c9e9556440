import { isWellFormed } from './util.js';
import { headerSecrets } from './header-secrets.js';

/** What replaces a secret wherever one would be shown. */
export const REDACTED = '[REDACTED]';

/** Bodies kept in errors (`body`, `rawBody`) are cut to this many characters. */
export const MAX_KEPT_BODY_CHARS = 64 * 1024;

// Deeper parts of an error body are replaced by a marker: nothing that shows an error
// (JSON.stringify, util.inspect, a log shipper) then meets a recursion limit.
const MAX_KEPT_DEPTH = 32;
const TOO_DEEP = '[nested too deep]';

// Secrets shorter than this are matched as whole tokens only.
const SHORT = 8;

// Header names whose values are credentials, whatever the secret: the well-known ones, and any
// name that says so.
const SENSITIVE_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|vmware-api-session-id)$|auth|token|secret|passw|session|cookie|api-?key/i;

/**
 * Removes known secrets from text, JSON-like values and errors, in every form a server may echo
 * them: raw, JSON-escaped, URL-encoded, and the Basic credentials built from them. Built once per
 * client from its credentials and sensitive headers; `withHeaders` adds a call's own.
 */
/** A Basic credential as it travels and may be echoed: the password, `user:password` in base64, and `Basic …`. */
export function basicAuthForms(username: string, password: string): string[] {
  const basic = Buffer.from(`${username}:${password}`).toString('base64');
  return [password, basic, `Basic ${basic}`];
}

export class Redactor {
  readonly #secrets: readonly string[];
  // Every secret as it may be echoed, in one pattern; undefined when there is nothing to hide.
  readonly #pattern: RegExp | undefined;
  // The longest text the pattern can match: how far past a cut a secret may reach.
  readonly #longestEcho: number;

  constructor(secrets: Iterable<string | undefined | null>) {
    const unique = new Set<string>();
    for (const secret of secrets) if (secret) unique.add(secret);
    this.#secrets = [...unique];
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...unique].sort((a, b) => b.length - a.length);
    const long = sorted.filter((secret) => secret.length >= SHORT).map(echoPattern);
    // A short secret ("k9") is replaced where it stands alone, not inside every word that
    // happens to contain its letters: an echo is delimited, "items" is not an echo of "s".
    const short = sorted.filter((secret) => secret.length < SHORT).map(echoPattern);
    const alternatives = [...long, ...(short.length > 0 ? [`(?<![\\p{L}\\p{N}])(?:${short.join('|')})(?![\\p{L}\\p{N}])`] : [])];
    this.#pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'gu') : undefined;
    this.#longestEcho = Math.max(0, ...sorted.map((secret) => [...secret].length * LONGEST_CHAR_ECHO));
  }

  /** Adds the forms a Basic credential takes on the wire (see `basicAuthForms`). */
  static forBasicAuth(username: string, password: string, others: Iterable<string | undefined> = []): Redactor {
    return new Redactor([...basicAuthForms(username, password), ...others]);
  }

  /** True when a header of this name carries a credential. */
  static isSensitiveHeader(name: string): boolean {
    return SENSITIVE_HEADER.test(name);
  }

  /** This redactor plus the secrets in the sensitive ones of `headers`; itself when there are none. */
  withHeaders(headers: Iterable<[string, string]> | Record<string, string> | undefined): Redactor {
    if (!headers) return this;
    const added: string[] = [];
    const entries = Symbol.iterator in headers ? headers : Object.entries(headers);
    for (const [name, value] of entries) if (Redactor.isSensitiveHeader(name)) added.push(...headerSecrets(value));
    const fresh = added.filter((secret) => secret && !this.#secrets.includes(secret));
    return fresh.length === 0 ? this : new Redactor([...this.#secrets, ...fresh]);
  }

  text(value: string): string {
    return this.#pattern ? value.replace(this.#pattern, REDACTED) : value;
  }

  /**
   * The first `limit` characters of `value`, redacted. A secret that straddles the cut is
   * replaced whole, never shown in part; only a slice a little longer than `limit` is read.
   */
  textUpTo(value: string, limit: number): string {
    if (!this.#pattern) return value.slice(0, limit);
    const window = value.slice(0, limit + this.#longestEcho);
    let kept = '';
    let from = 0;
    for (const match of window.matchAll(this.#pattern)) {
      if (match.index >= limit) break;
      kept += value.slice(from, match.index) + REDACTED;
      from = match.index + match[0].length;
    }
    return from < limit ? kept + value.slice(from, limit) : kept;
  }

  /**
   * A copy of a JSON-like value with every string, keys included, redacted. Iterative, so any
   * depth is safe; parts deeper than 32 levels are replaced by a marker.
   */
  value<T>(value: T): T | string {
    return this.#copy(value) as T | string;
  }

  #copy(root: unknown): unknown {
    const leaf = (value: unknown): unknown => (typeof value === 'string' ? this.text(value) : value);
    if (typeof root !== 'object' || root === null) return leaf(root);
    const result: unknown = Array.isArray(root) ? [] : {};
    const pending: { from: object; to: Record<string, unknown> | unknown[]; depth: number }[] = [
      { from: root, to: result as Record<string, unknown>, depth: 1 },
    ];
    for (let job = pending.pop(); job; job = pending.pop()) {
      for (const [key, item] of Object.entries(job.from)) {
        let copy: unknown;
        if (typeof item !== 'object' || item === null) copy = leaf(item);
        else if (job.depth >= MAX_KEPT_DEPTH) copy = TOO_DEEP;
        else {
          copy = Array.isArray(item) ? [] : {};
          pending.push({ from: item, to: copy as Record<string, unknown>, depth: job.depth + 1 });
        }
        if (Array.isArray(job.to)) job.to.push(copy);
        // Defined, not assigned: a "__proto__" key from a server stays a key, not the copy's prototype.
        else Object.defineProperty(job.to, this.text(key), { value: copy, enumerable: true, writable: true, configurable: true });
      }
    }
    return result;
  }

  /**
   * Redacts everything an error can show, in place, after it has been formatted: message, stack,
   * every own field (deeply), and the whole `cause` chain, whose foreign errors are replaced by
   * redacted copies (name, message, code, stack). Returns the same error.
   */
  error<E extends Error>(error: E, depth = 0): E {
    for (const key of Object.getOwnPropertyNames(error)) {
      if (key === 'stack' || key === 'cause') continue;
      const descriptor = Object.getOwnPropertyDescriptor(error, key);
      if (!descriptor || !('value' in descriptor)) continue;
      const value: unknown = descriptor.value;
      if (typeof value === 'string' || (typeof value === 'object' && value !== null)) {
        Object.defineProperty(error, key, { ...descriptor, value: this.value(value) });
      }
    }
    if (typeof error.stack === 'string') error.stack = this.text(error.stack);
    if ('cause' in error && error.cause !== undefined) {
      Object.defineProperty(error, 'cause', {
        value: this.#cause(error.cause, depth + 1),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    return error;
  }

  #cause(cause: unknown, depth: number): unknown {
    if (depth > 4) return undefined;
    if (!(cause instanceof Error)) return typeof cause === 'string' ? this.text(cause) : undefined;
    const copy = new Error(this.text(cause.message));
    copy.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    copy.stack = this.text(cause.stack ?? `${cause.name}: ${cause.message}`);
    if (cause.cause !== undefined) {
      Object.defineProperty(copy, 'cause', { value: this.#cause(cause.cause, depth + 1), writable: true, configurable: true });
    }
    return copy;
  }
}

// How each character of a secret may be written back, whatever mix of forms a server uses:
// itself, percent-encoded (any hex case, once or twice: %XX, %25XX), "+" for a space, a JSON
// \u escape or short escape (\", \\, \/), or an HTML/XML character reference. One pattern per
// secret covers encodeURIComponent, URLSearchParams, Java's URLEncoder, RFC 3986, the URL
// parser's path encoding, JSON (PHP's \/ and \u too) and HTML pages alike.
function echoPattern(secret: string): string {
  return [...secret].map(charPattern).join('');
}

// The longest form charPattern allows for one code point: four UTF-8 bytes as %25XX.
const LONGEST_CHAR_ECHO = 20;

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function charPattern(char: string): string {
  const code = char.codePointAt(0)!;
  const alternatives = [code < 0x80 ? escapeRegExp(char) : `\\u{${code.toString(16)}}`];
  // A lone surrogate has no UTF-8 form, so it cannot be percent-encoded either.
  if (isWellFormed(char)) alternatives.push([...Buffer.from(char, 'utf8')].map((byte) => `%(?:25)?${hexPattern(byte, 2)}`).join(''));
  if (char === ' ') alternatives.push('\\+');
  alternatives.push(Array.from({ length: char.length }, (_, i) => `\\\\u${hexPattern(char.charCodeAt(i), 4)}`).join(''));
  for (const form of [JSON_ESCAPES[char], HTML_ENTITIES[char]]) if (form) alternatives.push(escapeRegExp(form));
  alternatives.push(`&#(?:0{0,3}${code}|[xX]0{0,3}${hexPattern(code, 1)});`);
  return `(?:${alternatives.join('|')})`;
}

/** `value` in hex, at least `width` digits, each letter in either case. */
function hexPattern(value: number, width: number): string {
  return [...value.toString(16).padStart(width, '0')]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Cuts a body kept in an error to `MAX_KEPT_BODY_CHARS`, marking the cut. A secret that
 * straddles the cut is redacted whole, never half-shown.
 */
export function keptBody(text: string, redactor: Redactor): string {
  if (text.length <= MAX_KEPT_BODY_CHARS) return redactor.text(text);
  return `${redactor.textUpTo(text, MAX_KEPT_BODY_CHARS)}… [cut: ${text.length} characters in all]`;
}

/** A URL fit for an error message: no user info, and the value of any credential-like query parameter hidden. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|secret|password|session|key|sid|auth/i.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
