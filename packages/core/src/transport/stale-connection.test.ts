// A raw TCP server plays HTTP/1.1 by hand, so that it can do what a server closing idle
// keep-alive connections does to a client: take a request on a connection that served one
// before, and reset it (or close it) without answering.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../errors.js';
import { Redactor } from '../redact.js';
import { anyJson } from '../test-support/any-json.js';
import { Transport, type TransportOptions } from '../transport.js';

interface Seen {
  method: string;
  /** Which connection (0, 1, …) and which request on it (0, 1, …). */
  connection: number;
  onConnection: number;
}

/**
 * Answers `{"ok":true}` with keep-alive, unless `drop` says to reset ('reset', an RST) or close
 * ('close', a FIN) the connection instead of answering.
 */
async function rawServer(
  drop: (seen: Seen) => 'reset' | 'close' | undefined,
  headers: string[] = [],
): Promise<{ url: string; seen: Seen[]; connections: number; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((socket) => {
    const connection = state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    let onConnection = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.slice(end + 4 + length);
        const request: Seen = { method: head.slice(0, head.indexOf(' ')), connection, onConnection: onConnection++ };
        seen.push(request);
        const action = drop(request);
        if (action === 'reset') return void socket.resetAndDestroy();
        if (action === 'close') return void socket.end();
        const body = '{"ok":true}';
        socket.write(
          [
            'HTTP/1.1 200 OK',
            'content-type: application/json',
            `content-length: ${body.length}`,
            'connection: keep-alive',
            ...headers,
            '',
            body,
          ].join('\r\n'),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const made = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  closers.push(made.close);
  return made;
}

const closers: (() => Promise<void>)[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

function transport(baseUrl: string, options: TransportOptions = {}): Transport {
  const made = new Transport({ retry: false, ...options, baseUrl, redactor: new Redactor([]) });
  transports.push(made);
  return made;
}

const call = (t: Transport, url: string, method = 'GET'): Promise<unknown> =>
  t.invoke({ ...anyJson, method }, { method, url, headers: {}, ...(method === 'POST' ? { body: Buffer.from('{}') } : {}) });
// The pool takes a connection back once the response is complete, a few event-loop turns after
// the caller has it (undici checks an idle socket on a setImmediate): a timer set now fires after that.
const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a stale keep-alive connection', () => {
  for (const drop of ['reset', 'close'] as const) {
    it(`sends an idempotent request again on a fresh connection, once, when a reused one is ${drop === 'reset' ? 'reset' : 'closed'}`, async () => {
      const server = await rawServer((seen) => (seen.onConnection > 0 ? drop : undefined));
      // No retries at all: the resend is not one.
      const t = transport(server.url);
      expect(await call(t, server.url)).toEqual({ ok: true });
      await idle();
      expect(await call(t, server.url)).toEqual({ ok: true });
      expect(server.seen).toEqual([
        { method: 'GET', connection: 0, onConnection: 0 },
        { method: 'GET', connection: 0, onConnection: 1 },
        { method: 'GET', connection: 1, onConnection: 0 },
      ]);
    });
  }

  it('sends it again at once, not after a backoff wait, and without using up a retry', async () => {
    const server = await rawServer((seen) => (seen.onConnection > 0 ? 'reset' : undefined));
    // A retry would wait 15–30 s first.
    const t = transport(server.url, { retry: { retries: 1, baseDelayMs: 30_000, maxDelayMs: 30_000, maxElapsedMs: 120_000 } });
    await call(t, server.url);
    await idle();
    const started = performance.now();
    expect(await call(t, server.url)).toEqual({ ok: true });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('sends it again only once: a fresh connection that fails too is an error', async () => {
    const server = await rawServer((seen) => (seen.connection > 0 || seen.onConnection > 0 ? 'reset' : undefined));
    const t = transport(server.url);
    await call(t, server.url);
    await idle();
    const error = await failure(call(t, server.url));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ attempts: 1, code: 'ECONNRESET' });
    expect(server.seen).toHaveLength(3);
  });

  it('never sends a POST twice, and a reset on a fresh connection is not hidden', async () => {
    const server = await rawServer((seen) => (seen.onConnection > 0 ? 'reset' : undefined));
    const t = transport(server.url);
    await call(t, server.url, 'POST');
    await idle();
    expect(await failure(call(t, server.url, 'POST'))).toBeInstanceOf(TransportError);
    expect(server.seen.map((seen) => seen.method)).toEqual(['POST', 'POST']);

    const resets = await rawServer(() => 'reset');
    expect(await failure(call(transport(resets.url), resets.url))).toMatchObject({ attempts: 1, code: 'ECONNRESET' });
    expect(resets.seen).toHaveLength(1);
  });

  it("does not reuse a connection past the server's Keep-Alive: timeout", async () => {
    // timeout=3: undici keeps the connection 3 s less its 2 s margin, 1 s; the server resets
    // any request on a connection that served before, so a reuse would show.
    const server = await rawServer((seen) => (seen.onConnection > 0 ? 'reset' : undefined), ['keep-alive: timeout=3']);
    const t = transport(server.url);
    await call(t, server.url);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await call(t, server.url)).toEqual({ ok: true });
    expect(server.seen.map((seen) => seen.onConnection)).toEqual([0, 0]);
  });
});
