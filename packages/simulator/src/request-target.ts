// What a request asks for, read without trusting it: a target or Host a real server would
// refuse is a reason for a 400 (RFC 9112 §3.2), never an exception.
import type { IncomingMessage } from 'node:http';

/** Only the path and query reach an appliance, read against this base. */
const BASE = 'http://127.0.0.1';

/** A host name, IPv4 or [IPv6], and an optional port (URL checks the port's range). */
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d*)?$/;

export type RequestTarget = { url: URL } | { problem: string };

function hostProblem(request: IncomingMessage): string | undefined {
  // Node keeps the first of several Host headers: count them in the raw list.
  let hosts = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]?.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) return 'The request has more than one Host header.';
  const host = request.headers.host;
  if (host === undefined) return request.httpVersion === '1.0' ? undefined : 'The request has no Host header.';
  // Empty is what a client sends for a target without an authority (RFC 9112 §3.2).
  if (host !== '' && !(AUTHORITY.test(host) && URL.canParse(`http://${host}/`))) return 'The Host header is not a host and port.';
  return undefined;
}

/**
 * The path and query of `request` as a URL on 127.0.0.1, from its origin form (`/a?b`) or its
 * absolute form (`http://host/a?b`, whose host is not used), or why it has neither.
 */
export function requestTarget(request: IncomingMessage): RequestTarget {
  const problem = hostProblem(request);
  if (problem) return { problem };
  const target = request.url ?? '';
  let pathAndQuery: string;
  if (target.startsWith('/')) {
    pathAndQuery = target; // `//x` too: a path whose first segment is empty, not a host.
  } else if (/^https?:\/\//i.test(target) && URL.canParse(target)) {
    const absolute = new URL(target);
    pathAndQuery = absolute.pathname + absolute.search;
  } else {
    return { problem: 'The request target is neither a path nor a valid http URL.' };
  }
  if (!URL.canParse(BASE + pathAndQuery)) return { problem: 'The request target is not a valid path.' };
  return { url: new URL(BASE + pathAndQuery) };
}
