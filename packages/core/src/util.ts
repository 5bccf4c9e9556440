export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fills `{0}`, `{1}`, … placeholders with positional arguments; unknown ones stay as they are. */
export function formatMessage(template: string, args: readonly string[]): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => args[Number(index)] ?? placeholder);
}

/** Checks a client's `baseUrl` early, with a message that says what is expected. */
export function requireBaseUrl(baseUrl: unknown, example: string): string {
  if (typeof baseUrl !== 'string' || baseUrl === '') throw new TypeError(`baseUrl is required, e.g. ${example}`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL, e.g. ${example}; got "${baseUrl}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`baseUrl must use http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new TypeError('baseUrl must not contain credentials; pass them as client options');
  }
  return baseUrl.replace(/\/+$/, '');
}
