/** What replaces a secret wherever one would be shown. */
export const REDACTED = '[REDACTED]';

/**
 * Removes known secrets (passwords, tokens, session ids, and the Basic credentials built from
 * them) from text and from JSON-like values. Built once per client from its options.
 */
export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: Iterable<string | undefined | null>) {
    const unique = new Set<string>();
    for (const secret of secrets) {
      // Very short values would redact ordinary words; they are not secrets worth the name.
      if (secret && secret.length >= 4) unique.add(secret);
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.#secrets = [...unique].sort((a, b) => b.length - a.length);
  }

  /** Adds the forms a Basic credential takes on the wire. */
  static forBasicAuth(username: string, password: string, others: Iterable<string | undefined> = []): Redactor {
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    return new Redactor([password, basic, `Basic ${basic}`, ...others]);
  }

  text(value: string): string {
    let result = value;
    for (const secret of this.#secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    return result;
  }

  /** A copy of a JSON-like value with every string redacted. */
  value<T>(value: T): T {
    if (this.#secrets.length === 0) return value;
    return redactValue(value, this) as T;
  }

  /** Header values that carry credentials, whatever the secret, are hidden entirely. */
  static readonly sensitiveHeaders: ReadonlySet<string> = new Set([
    'authorization',
    'proxy-authorization',
    'vmware-api-session-id',
    'cookie',
    'set-cookie',
  ]);
}

function redactValue(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.text(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redactor));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, redactor)]));
  }
  return value;
}

/** A URL fit for an error message: no user info, and the value of any credential-like query parameter hidden. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|secret|password|session|key/i.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
