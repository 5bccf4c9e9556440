// What a client sends cannot stop the simulator: malformed request lines and headers, sent over
// raw sockets, get a 4xx in the appliance's error style, and both appliances answer the next
// ordinary request. A route that throws is a logged 500, not a dead process.
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveAppliance, type Appliance, type ApplianceServer } from './http-server.js';
import { startSimulator } from './index.js';
import { ALL_SERVICES, basic, snapserviceTasks, velostrataTasks } from './test-support/requests.js';
import type { Simulator } from './types.js';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((each) => each.stop()));
});

async function simulator(): Promise<Simulator> {
  const sim = await startSimulator({ clock: 'manual', size: { vms: 2, snapshots: 2 } });
  running.push(sim);
  return sim;
}

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * Sends `bytes` as they are on a new connection and reads until the server closes it or one
 * whole response (by its content-length) has arrived.
 */
function raw(port: number, bytes: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const settle = (): boolean => {
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const headers = text.slice(0, end);
      const length = /^content-length:\s*(\d+)/im.exec(headers)?.[1];
      if (length !== undefined && received.length < end + 4 + Number(length)) return false;
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body: received.subarray(end + 4).toString('utf8') });
      return true;
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      settle();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (!settle()) reject(new Error(`connection closed with no whole response: ${JSON.stringify(received.toString('latin1'))}`));
    });
    socket.write(bytes);
  });
}

const portOf = (url: string): number => Number(new URL(url).port);

const MALFORMED: { name: string; request: string; status: number }[] = [
  { name: 'an absolute-form URL with an unclosed IPv6 host', request: 'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
  { name: 'an absolute-form URL with port 99999', request: 'GET http://a:99999/ HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
  { name: 'a target that is neither a path nor a URL', request: 'GET tasks HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
  { name: 'a NUL as the target', request: 'GET \x00 HTTP/1.1\r\nHost: x\r\n\r\n', status: 400 },
  { name: 'a request line that is not HTTP', request: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', status: 400 },
  { name: 'a Host that is not an authority', request: 'GET /tasks HTTP/1.1\r\nHost: [\r\n\r\n', status: 400 },
  { name: 'a Host with a port out of range', request: 'GET /tasks HTTP/1.1\r\nHost: a:99999\r\n\r\n', status: 400 },
  { name: 'two Host headers', request: 'GET /tasks HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', status: 400 },
  { name: 'no Host in HTTP/1.1', request: 'GET /tasks HTTP/1.1\r\n\r\n', status: 400 },
  { name: 'a control character in a header value', request: 'GET /tasks HTTP/1.1\r\nHost: a\r\nX-A: b\x01c\r\n\r\n', status: 400 },
  // RFC 6585's status for it (Node's limit: 16 KiB of headers).
  { name: 'a 64 KiB header', request: `GET /tasks HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(65_536)}\r\n\r\n`, status: 431 },
];

describe('a malformed request', () => {
  it.each(MALFORMED)(
    '$name: a 4xx in each appliance’s error style, and both appliances answer the next request',
    async ({ request, status }) => {
      const sim = await simulator();
      const velostrata = await raw(portOf(sim.velostrata.url), request);
      expect(velostrata.status).toBe(status);
      expect(velostrata.headers).toMatch(/^content-type: application\/json/im);
      expect(JSON.parse(velostrata.body)).toMatchObject({ errorCode: 'BAD_REQUEST', message: expect.any(String) });

      const snapservice = await raw(portOf(sim.snapservice.url), request);
      expect(snapservice.status).toBe(status);
      expect(JSON.parse(snapservice.body)).toMatchObject({
        error_type: 'INVALID_ARGUMENT',
        messages: [{ id: 'com.vmware.vapi.rest.badRequest', default_message: expect.any(String) }],
      });

      expect((await velostrataTasks(sim)).status).toBe(200);
      expect((await snapserviceTasks(sim, ALL_SERVICES)).status).toBe(200);
    },
  );

  it('uses up no queued fault: the fault is for the next real request', async () => {
    const sim = await simulator();
    sim.velostrata.injectFault({ kind: 'unavailable' });
    expect((await raw(portOf(sim.velostrata.url), 'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n')).status).toBe(400);
    expect((await velostrataTasks(sim)).status).toBe(503);
    expect((await velostrataTasks(sim)).status).toBe(200);
  });

  it('answers a valid absolute-form request like its origin form (RFC 9112: servers accept both)', async () => {
    const sim = await simulator();
    const { pathname } = new URL(sim.velostrata.url);
    const authorization = basic(sim.velostrata.username, sim.velostrata.password);
    const answer = await raw(
      portOf(sim.velostrata.url),
      `GET http://elsewhere.example${pathname}/tasks HTTP/1.1\r\nHost: elsewhere.example\r\nAuthorization: ${authorization}\r\n\r\n`,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ _type: 'TaskDescriptionPage' });
  });

  it('reads a target beginning with // as a path (its first segment empty), not as a host', async () => {
    const sim = await simulator();
    const answer = await raw(portOf(sim.velostrata.url), 'GET //[/tasks HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ errorCode: 'NOT_FOUND', url: '//[/tasks' });
  });

  it('keeps an ordinary keep-alive connection usable after a 400 for its target', async () => {
    const sim = await simulator();
    const { pathname } = new URL(sim.velostrata.url);
    // Two requests on one connection: the first refused, the second answered (a 401: no credentials).
    const both = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(portOf(sim.velostrata.url), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if ((text.match(/HTTP\/1\.1 \d{3} /g) ?? []).length === 2 && text.endsWith('}')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
      socket.write(`GET http://[ HTTP/1.1\r\nHost: x\r\n\r\nGET ${pathname}/tasks HTTP/1.1\r\nHost: x\r\n\r\n`);
    });
    expect([...both.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1])).toEqual(['400', '401']);
  });
});

describe('a route that throws', () => {
  async function serve(appliance: Appliance): Promise<ApplianceServer> {
    const server = await serveAppliance(appliance, 0);
    running.push({ stop: () => server.close() });
    return server;
  }
  const ok = { status: 200, body: '{"ok":true}' };
  const bad = { status: 400, body: '{}' };

  it('is a 500 with the reason, logged with its control characters made visible, and the server stays up', async () => {
    const logged: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    let calls = 0;
    const server = await serve({
      handle: () => {
        if (++calls === 1) throw new Error('boom \u001b]52;c;SDJQ\u0007\u001b[2J\r\u202e\u009b\nvmtasks-simulator: forged line');
        return ok;
      },
      faultResponse: () => ok,
      badRequest: () => bad,
    });
    const failed = await raw(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ simulatorBug: expect.stringContaining('boom') });
    expect(logged.join('')).toContain('boom \\u001b]52;c;SDJQ\\u0007\\u001b[2J\\u000d\\u202e\\u009b\\u000avmtasks-simulator: forged line');
    expect(logged.join('')).toMatch(/^\s+at .*http-server\.test\.ts/m);
    expect(logged.join('')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect((await raw(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n')).status).toBe(200);
  });

  it('is a 500 when what it answers cannot be sent (a header value with a line break), and the server stays up', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let calls = 0;
    const server = await serve({
      handle: () => (++calls === 1 ? { ...ok, headers: { 'x-a': 'b\r\nx-injected: 1' } } : ok),
      faultResponse: () => ok,
      badRequest: () => bad,
    });
    const failed = await raw(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(failed.status).toBe(500);
    expect(failed.headers).not.toMatch(/x-injected/i);
    expect((await raw(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n')).status).toBe(200);
  });

  it('is a 500 when a fault’s answer throws, and the server stays up', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const server = await serve({
      handle: () => ok,
      faultResponse: () => {
        throw new TypeError('no answer for this fault');
      },
      badRequest: () => bad,
    });
    server.faults.add({ kind: 'unavailable' });
    expect((await raw(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n')).status).toBe(500);
    expect((await raw(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n')).status).toBe(200);
  });
});
