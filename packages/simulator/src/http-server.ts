// The one HTTP layer both appliances share: 127.0.0.1, faults before anything else, clean shutdown.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultQueue } from './faults.js';
import type { Fault } from './types.js';

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON text. */
  body: string;
}

export interface Appliance {
  /** The answer to a request that passed the faults. */
  /** `body`: the request's body, read for the methods that carry one (POST), else empty. */
  handle(request: IncomingMessage, url: URL, body: string): SimResponse;
  /** The answer for a fault that has one (everything but `slow` and `reset`). */
  faultResponse(fault: Exclude<Fault, { kind: 'slow' | 'reset' }>, url: URL): SimResponse;
}

export interface ApplianceServer {
  port: number;
  faults: FaultQueue;
  readonly requests: number;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';

/** The largest request body read (a page request is a few hundred bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new RangeError('body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function serveAppliance(appliance: Appliance, port: number): Promise<ApplianceServer> {
  const faults = new FaultQueue();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;

  const send = (res: ServerResponse, { status, headers, body }: SimResponse): void => {
    const bytes = Buffer.from(body); // encoded once, for the length and the write
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, ...headers });
    res.end(bytes);
  };
  const answer = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (req.method === 'POST' && !req.readableEnded) {
      readBody(req).then(
        (body) => respond(req, res, url, body),
        () => send(res, { status: 413, body: JSON.stringify({ message: `request body over ${MAX_BODY_BYTES} bytes` }) }),
      );
      return;
    }
    respond(req, res, url, '');
  };
  const respond = (req: IncomingMessage, res: ServerResponse, url: URL, body: string): void => {
    try {
      send(res, appliance.handle(req, url, body));
    } catch (error) {
      // A bug in the simulator, not a simulated fault: say so plainly.
      const message = error instanceof Error ? error.message : String(error);
      send(res, { status: 500, body: JSON.stringify({ simulatorBug: message }) });
    }
  };

  const server = createServer((req, res) => {
    requests++;
    if (req.method !== 'POST') req.resume(); // only a POST (a page request) has a body worth reading
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const fault = faults.take();
    if (!fault) return answer(req, res, url);
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(req, res, url);
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
      default:
        send(res, appliance.faultResponse(fault, url));
    }
  });
  // Idle keep-alive connections stay open longer than any client keeps them (Node's agent: 5 s,
  // undici: 4 s). With Node's default of 5 s a client, Prism's proxy among them, could send on a
  // connection the simulator was closing that instant: ECONNRESET, seen under load.
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    faults,
    get requests() {
      return requests;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return { status, body: JSON.stringify(body), ...(headers && { headers }) };
}
