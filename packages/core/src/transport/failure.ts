// What a failed attempt was, read from the error undici, fetch or Node gave: its code, whether
// another attempt could succeed, and a one-line description.

// Failures another attempt can cure: the connection was refused, reset, cut or timed out, or the
// resolver was briefly unavailable. Everything else (certificate errors, ENOTFOUND, a closed
// client, an invalid argument) will fail the same way again.
const HEALABLE = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The first `code` in the error's cause chain, e.g. `ECONNREFUSED` (fetch hides it one level down). */
export function failureCode(error: unknown): string | undefined {
  for (let each = error, depth = 0; each instanceof Error && depth < 5; each = each.cause, depth++) {
    const code = (each as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function isHealable(error: unknown): boolean {
  const code = failureCode(error);
  return code !== undefined && HEALABLE.has(code);
}

/** `CODE: message` of the innermost useful error ("fetch failed" says nothing). */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let inner: Error = error;
  while (inner.cause instanceof Error && (inner.message === 'fetch failed' || inner.message === 'terminated')) inner = inner.cause;
  const code = (inner as { code?: unknown }).code;
  return `${typeof code === 'string' && !inner.message.includes(code) ? `${code}: ` : ''}${inner.message}`;
}
