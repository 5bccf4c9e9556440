import { RedirectError, type RedirectRefusal } from '../errors.js';
import { type Call, callSummary, type Policy } from './call.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Follows same-origin redirects, at most `maxRedirects` per call (retries included); refuses,
 * with a `RedirectError` saying why, any other origin, a downgrade from https, and a Location
 * that is not a URL — credentials are only ever sent to `origin`.
 */
export function redirectPolicy(origin: string, maxRedirects: number): Policy {
  return async (call, next) => {
    for (;;) {
      const received = await next(call);
      const location = received.headers['location'];
      if (!REDIRECTS.has(received.status) || location === undefined) return received;
      const { status } = received;
      const target = redirectTarget(call, location, status, origin, maxRedirects);
      // 303, and 301/302 after a POST, turn into a GET without a body, as browsers and fetch do.
      if ((status === 303 && call.method !== 'HEAD') || ((status === 301 || status === 302) && call.method === 'POST')) {
        call.method = 'GET';
        call.body = undefined;
        for (const name of Object.keys(call.headers)) if (name.startsWith('content-')) delete call.headers[name];
      }
      call.url = target;
    }
  };
}

/** The next URL of a redirect, when it may be followed; a `RedirectError` saying why when not. */
function redirectTarget(call: Call, location: string | string[], status: number, origin: string, maxRedirects: number): URL {
  const count = ++call.redirects;
  let target: URL | undefined;
  try {
    target = typeof location === 'string' ? new URL(location, call.url) : undefined;
  } catch {
    target = undefined;
  }
  const refuse = (reason: RedirectRefusal, why: string): never => {
    throw new RedirectError(`${call.operation}: HTTP ${status} redirect not followed: ${why}`, {
      ...callSummary(call),
      status,
      targetOrigin: target && /^https?:$/.test(target.protocol) ? target.origin : undefined,
      reason,
    });
  };
  if (!target) return refuse('bad-location', 'its Location is not a URL');
  if (call.url.protocol === 'https:' && target.protocol !== 'https:') {
    return refuse(
      'downgrade',
      `it leads from https to ${target.protocol.replace(':', '')} (${target.protocol === 'http:' ? target.origin : 'another scheme'}); credentials are never sent in clear text`,
    );
  }
  if (target.origin !== origin) {
    return refuse(
      'cross-origin',
      `it leads to another origin (${/^https?:$/.test(target.protocol) ? target.origin : target.protocol}); credentials are only sent to ${origin}`,
    );
  }
  if (count > maxRedirects) return refuse('too-many', `more than maxRedirects (${maxRedirects}) redirects`);
  // User info in a Location is the server's, never sent: fetch would refuse the URL, the pool ignores it.
  target.username = '';
  target.password = '';
  return target;
}
