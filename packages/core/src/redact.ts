import { isWellFormed } from './util.js';

/** What replaces a secret wherever one would be shown. */
export const REDACTED = '[REDACTED]';

/** Bodies kept in errors (`body`, `rawBody`) are cut to this many characters. */
export const MAX_KEPT_BODY_CHARS = 64 * 1024;

// Deeper parts of an error body are replaced by a marker: nothing that shows an error
// (JSON.stringify, util.inspect, a log shipper) then meets a recursion limit.
const MAX_KEPT_DEPTH = 32;
const TOO_DEEP = '[nested too deep]';

// Secrets (and their echoed forms) shorter than this are matched as whole tokens only.
const SHORT = 8;

// Header names whose values are credentials, whatever the secret: the well-known ones, and any
// name that says so.
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|vmware-api-session-id)$|auth|token|secret|passw|session|cookie|api-?key/i;

/**
 * Removes known secrets from text, JSON-like values and errors, in every form a server may echo
 * them: raw, JSON-escaped, URL-encoded, and the Basic credentials built from them. Built once per
 * client from its credentials and sensitive headers; `withHeaders` adds a call's own.
 */
export class Redactor {
  readonly #secrets: readonly string[];
  readonly #forms: readonly string[];
  readonly #shortForms: RegExp | undefined;

  constructor(secrets: Iterable<string | undefined | null>) {
    const unique = new Set<string>();
    for (const secret of secrets) if (secret) unique.add(secret);
    this.#secrets = [...unique];
    const forms = new Set<string>();
    for (const secret of unique) for (const form of echoedForms(secret)) forms.add(form);
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    this.#forms = sorted.filter((form) => form.length >= SHORT);
    // A short secret ("k9") is replaced where it stands alone, not inside every word that
    // happens to contain its letters: an echo is delimited, "items" is not an echo of "s".
    const short = sorted.filter((form) => form.length < SHORT).map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.#shortForms = short.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${short.join('|')})(?![\\p{L}\\p{N}])`, 'gu') : undefined;
  }

  /** Adds the forms a Basic credential takes on the wire. */
  static forBasicAuth(username: string, password: string, others: Iterable<string | undefined> = []): Redactor {
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    return new Redactor([password, basic, `Basic ${basic}`, ...others]);
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
    let result = value;
    for (const form of this.#forms) if (result.includes(form)) result = result.split(form).join(REDACTED);
    return this.#shortForms ? result.replace(this.#shortForms, REDACTED) : result;
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
        else job.to[this.text(key)] = copy;
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

/** A secret and the ways a server may write it back: JSON-escaped, \u-escaped, URL-encoded. */
function echoedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const url = encodeURIComponentSafe(secret);
  return [
    secret,
    json,
    json.replaceAll('/', '\\/'),
    asciiJson,
    asciiJson.replace(/\\u([0-9a-f]{4})/g, (_m, hex: string) => `\\u${hex.toUpperCase()}`),
    url,
    url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    url.replaceAll('%20', '+'),
    encodeURIComponentSafe(url),
  ].filter(Boolean);
}

function encodeURIComponentSafe(value: string): string {
  // A lone surrogate cannot be URL-encoded, so it cannot be echoed that way either.
  return isWellFormed(value) ? encodeURIComponent(value) : value;
}

/** The secrets in one sensitive header value: the whole value, the part after its scheme, quoted tokens, Basic's parts, cookie values. */
function headerSecrets(value: string): string[] {
  const secrets = [value.trim()];
  const scheme = /^\s*([A-Za-z][\w-]*)\s+(\S.*)$/.exec(value);
  if (scheme) {
    const credentials = scheme[2]!.trim();
    secrets.push(credentials);
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) secrets.push(decoded, decoded.slice(colon + 1));
    }
  }
  for (const match of value.matchAll(/=\s*"([^"]+)"/g)) secrets.push(match[1]!);
  for (const part of value.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) secrets.push(part.slice(equals + 1).trim());
  }
  return secrets.filter((secret) => secret.length > 0);
}

/**
 * Cuts a body kept in an error to `MAX_KEPT_BODY_CHARS`, marking the cut. Redacts first (on a
 * slice a little longer than the cap), so a secret that straddles the cut is never half-shown.
 */
export function keptBody(text: string, redactor: Redactor): string {
  if (text.length <= MAX_KEPT_BODY_CHARS) return redactor.text(text);
  const redacted = redactor.text(text.slice(0, MAX_KEPT_BODY_CHARS + 4096)).slice(0, MAX_KEPT_BODY_CHARS);
  return `${redacted}… [cut: ${text.length} characters in all]`;
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
