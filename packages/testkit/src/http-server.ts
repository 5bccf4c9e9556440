import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, exactly as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Time since the server started, ms. */
  at: number;
}

// Whatever a handler returns is ignored, but a throw or a rejected promise becomes a 599 answer.
export type Handler = (request: RecordedRequest, response: ServerResponse, index: number) => unknown;

export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https, or the `host` asked for), a port the OS picked. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (or `host`, e.g. 127.0.0.2 to play another host) and a free
 * port, recording every request. `close()` also destroys open connections, so a handler that
 * never answers cannot hold the test run.
 */
export async function startTestServer(
  handler: Handler,
  options: { tls?: { cert: string; key: string }; host?: '127.0.0.1' | '127.0.0.2' } = {},
): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const started = performance.now();
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now() - started,
      };
      requests.push(recorded);
      // Run inside the promise, so that a handler that throws at once is answered the same way.
      new Promise((resolve) => resolve(handler(recorded, res, requests.length - 1))).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(599);
        res.end(String(error));
      });
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  // Longer than any client keeps an idle connection, so a client never sends on one the server is
  // closing at that instant (Node's default, 5 s, races Node's agent and undici under load).
  server.keepAliveTimeout = 65_000;
  server.on(options.tls ? 'secureConnection' : 'connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** A 200 JSON answer whose body never ends: spaces, 64 KiB at a time, as fast as the client reads. */
export function sendEndless(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = (): void => {
    while (!response.destroyed && response.write(chunk));
    if (!response.destroyed) response.once('drain', pump);
  };
  pump();
}

/** A port that nothing listens on: bound, read, released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A throwaway self-signed certificate for 127.0.0.1, made by the openssl command line. */
export async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vmtasks-cert-'));
  try {
    const args = [
      'req',
      '-x509',
      // An EC key: made at once, where an RSA key's prime search can take seconds on a loaded machine.
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ];
    await new Promise<void>((resolve, reject) => execFile('openssl', args, (error) => (error ? reject(error) : resolve())));
    return { cert: await readFile(path.join(dir, 'cert.pem'), 'utf8'), key: await readFile(path.join(dir, 'key.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
