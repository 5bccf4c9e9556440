// The one HTTP layer both appliances share: 127.0.0.1, faults before anything else, clean shutdown,
// and nothing a client sends or a route throws stops it.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { FaultQueue } from './faults.js';
import { printableError } from './printable.js';
import { requestTarget } from './request-target.js';
import type { Fault } from './types.js';

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON text. */
  body: string;
}

export interface Appliance {
  /** The answer to a request that passed the faults; `body` is read for a POST (a page request), else empty. */
  handle(request: IncomingMessage, url: URL, body: string): SimResponse;
  /** The answer for a fault that has one (everything but `slow` and `reset`). */
  faultResponse(fault: Exclude<Fault, { kind: 'slow' | 'reset' }>, url: URL): SimResponse;
  /** The 400 for a request it cannot read (the server may make it a 408 or 431, with the same body). */
  badRequest(reason: string): SimResponse;
}

export interface ApplianceServer {
  port: number;
  faults: FaultQueue;
  readonly requests: number;
  /** Bytes of the response bodies sent so far. */
  readonly bytesSent: number;
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

/** The refusals of Node's parser that are not a plain 400 (the statuses Node itself would send). */
const PARSER_REFUSALS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time.'],
};

function logBug(error: unknown): void {
  process.stderr.write(`vmtasks-simulator: a request failed (a simulator bug): ${printableError(error)}\n`);
}

export async function serveAppliance(appliance: Appliance, port: number): Promise<ApplianceServer> {
  const faults = new FaultQueue();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  // Responses not yet finished, per connection: a request line that cannot be parsed gets its
  // 400 written on the socket only when no earlier answer is still to come there.
  const pending = new WeakMap<Duplex, number>();
  let requests = 0;
  let bytesSent = 0;

  const send = (res: ServerResponse, { status, headers, body }: SimResponse): void => {
    const bytes = Buffer.from(body); // encoded once, for the length and the write
    // No body (202, 204) has no media type: a JSON type on nothing makes a client (Prism's proxy
    // among them) try to parse it and fail.
    const type = bytes.length > 0 ? { 'content-type': 'application/json' } : {};
    bytesSent += bytes.length;
    res.writeHead(status, { ...type, 'content-length': bytes.length, ...headers });
    res.end(bytes);
  };
  /** A bug in the simulator, not a simulated fault: a 500 that says so, and a line on stderr. */
  const fail = (res: ServerResponse, error: unknown): void => {
    logBug(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    send(res, { status: 500, body: JSON.stringify({ simulatorBug: message }) });
  };
  const answer = (res: ServerResponse, produce: () => SimResponse): void => {
    try {
      send(res, produce());
    } catch (error) {
      fail(res, error);
    }
  };
  const route = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const target = requestTarget(req);
    // Refused before the faults: a queued fault is for the next request an appliance would answer.
    if ('problem' in target) {
      answer(res, () => appliance.badRequest(target.problem));
      return;
    }
    const { url } = target;
    const fault = faults.take();
    if (!fault) {
      answer(res, () => appliance.handle(req, url, body));
      return;
    }
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(res, () => appliance.handle(req, url, body));
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
      default:
        answer(res, () => appliance.faultResponse(fault, url));
    }
  };

  // Host is checked by requestTarget, so that its absence gets the appliance's 400 body too.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    requests++;
    const socket = req.socket;
    pending.set(socket, (pending.get(socket) ?? 0) + 1);
    res.once('close', () => pending.set(socket, (pending.get(socket) ?? 1) - 1));
    const routed = (body: string): void => {
      try {
        route(req, res, body);
      } catch (error) {
        fail(res, error);
      }
    };
    if (req.method !== 'POST') {
      req.resume(); // only a POST (a page request) has a body worth reading
      routed('');
      return;
    }
    readBody(req).then(routed, () =>
      answer(res, () => ({ ...appliance.badRequest(`The request body is over ${MAX_BODY_BYTES} bytes.`), status: 413 })),
    );
  });
  // What Node's parser refuses (a NUL in the request line, a header too large, a control
  // character in a header) never becomes a request: answer it in the appliance's words.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable || (pending.get(socket) ?? 0) > 0) {
      socket.destroy();
      return;
    }
    const [status, reason] = PARSER_REFUSALS[error.code ?? ''] ?? [400, 'The request is not valid HTTP.'];
    try {
      const { body, headers } = appliance.badRequest(reason);
      const bytes = Buffer.from(body);
      const head = [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        'content-type: application/json',
        `content-length: ${bytes.length}`,
        ...Object.entries(headers ?? {}).map(([name, value]) => `${name}: ${value}`),
        'connection: close',
      ];
      socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), bytes]));
    } catch (bug) {
      logBug(bug);
      socket.destroy();
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
    get bytesSent() {
      return bytesSent;
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
