import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from './listen.js';
import type { ExporterMetrics } from './metrics.js';

/**
 * Whether an `Accept` header prefers OpenMetrics to the Prometheus text format: listed with a
 * quality above 0 and not below that of `text/plain` (Prometheus asks for both, OpenMetrics first).
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let openMetrics = -1;
  let text = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (!Number.isFinite(quality)) continue;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, quality);
    else if (type === 'text/plain' || type === '*/*' || type === 'text/*') text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text;
}

/** `/metrics` and `/healthz` on `address`; resolves once listening, with the address it got (port 0: a free one). */
export async function startHttpServer(address: ListenAddress, metrics: ExporterMetrics): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok\n');
      return;
    }
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics or /healthz\n');
      return;
    }
    metrics.render(wantsOpenMetrics(request.headers.accept)).then(
      ({ contentType, body }) => {
        response.writeHead(200, { 'content-type': contentType });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('could not render the metrics\n'),
    );
  });
  // Scrapers keep connections open; a stop must not wait for them.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address: host, port, family } = server.address() as AddressInfo;
  return { server, url: `http://${family === 'IPv6' ? `[${host}]` : host}:${port}` };
}

/** Stops listening and closes every connection, idle or not. */
export function closeHttpServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}
