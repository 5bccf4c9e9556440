import { ConfigurationError } from './errors.js';

// A UTF-16 surrogate without its pair: such a string has no UTF-8 form (String#isWellFormed is ES2024).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON type a client checks a field of a server's answer against. */
export type FieldType = 'string' | 'number' | 'string[]' | 'object';

const HAS_TYPE: Readonly<Record<FieldType, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  'string[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
  object: isRecord,
};

/**
 * True when `value` is an object whose fields named in `types` are each absent, null or of that
 * type: an answer checked for the types a client reads before any of it is used (a `"progress":
 * "x"` would otherwise surface as a TypeError far from the request). null counts as absent:
 * Java servers write absent fields so.
 */
export function hasFieldTypes(value: unknown, types: Readonly<Record<string, FieldType>>): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  for (const [field, type] of Object.entries(types)) {
    const item = value[field];
    if (item !== undefined && item !== null && !HAS_TYPE[type](item)) return false;
  }
  return true;
}

/** Fills `{0}`, `{1}`, … placeholders with positional arguments; unknown ones stay as they are. */
export function formatMessage(template: string, args: readonly string[]): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => args[Number(index)] ?? placeholder);
}

/**
 * Checks that a `create…Client` function was given an options object (a missing one would be
 * a bare TypeError on its first property). `example` shows the least it takes.
 */
export function requireOptions(options: unknown, factory: string, example: string): void {
  if (!isRecord(options)) throw new ConfigurationError('options', `${factory} takes an options object, e.g. ${factory}(${example})`);
}

/**
 * Checks that at least one of the ways to authenticate is given (each is then checked on its
 * own). The error names the first; its message lists them all.
 */
export function requireOneCredential(options: Record<string, unknown>, names: readonly [string, ...string[]], what: string): void {
  if (names.some((name) => options[name] !== undefined)) return;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  throw new ConfigurationError(names[0], `${list} is required: ${what}`);
}

/**
 * Checks a client's `baseUrl` at construction: an absolute http(s) URL without credentials,
 * query, fragment or surrounding spaces. Returns it without trailing slashes.
 */
export function requireBaseUrl(baseUrl: unknown, example: string): string {
  const refuse = (why: string): never => {
    throw new ConfigurationError('baseUrl', `baseUrl ${why}, e.g. ${example}`);
  };
  if (typeof baseUrl !== 'string' || baseUrl === '') return refuse('is required');
  if (baseUrl.trim() !== baseUrl || /\s/.test(baseUrl)) return refuse('must not contain spaces');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return refuse('must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse(`must use http or https, not ${url.protocol}`);
  // Checked before anything is echoed: user info is a credential.
  if (url.username || url.password) return refuse('must not contain credentials; pass them as client options');
  if (baseUrl.includes('?')) return refuse('must not contain a query (?…); requests add their own');
  if (baseUrl.includes('#')) return refuse('must not contain a fragment (#…)');
  return baseUrl.replace(/\/+$/, '');
}

// RFC 9110 field-name token, and a field value without control characters (HTAB allowed).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const BAD_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

/** What is wrong with one header, or undefined. Never quotes the value: it may be a secret. */
export function headerProblem(name: string, value: unknown): string | undefined {
  if (!HEADER_NAME.test(name)) return 'is not a valid header name';
  if (typeof value !== 'string') return `must be a string, got ${typeof value}`;
  if (BAD_HEADER_VALUE.test(value)) return 'must not contain control characters (CR, LF, NUL, …) or characters beyond Latin-1';
  return undefined;
}

/** Checks the `headers` option at construction. */
export function requireHeaders(headers: unknown, option = 'headers'): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (!isRecord(headers)) throw new ConfigurationError(option, `${option} must be an object of header names to strings`);
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerProblem(name, value);
    if (problem)
      throw new ConfigurationError(`${option}.${name}`, `${option}: header ${HEADER_NAME.test(name) ? name : '(name)'} ${problem}`);
  }
  return headers as Record<string, string>;
}

/**
 * Checks a credential option at construction: a non-empty string without control characters,
 * and, when it is sent verbatim as a header value (`asHeader`), nothing beyond Latin-1 either.
 * The message names the option, never the value.
 */
export function requireCredential(value: unknown, option: string, what: string, asHeader = false): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigurationError(option, `${option} must be a non-empty string, not blank: ${what}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw new ConfigurationError(option, `${option} must not contain control characters (CR, LF, NUL, …)`);
  if (asHeader && headerProblem('x', value))
    throw new ConfigurationError(option, `${option} is sent as a header value: it must not contain characters beyond Latin-1`);
  return value;
}
