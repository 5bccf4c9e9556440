import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './http-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('test HTTP server', () => {
  it('keeps idle connections open longer than clients keep them (a reused one is never being closed)', async () => {
    const server = await startTestServer((_req, res) => res.end('ok'));
    servers.push(server);
    const response = await fetch(server.url);
    expect(await response.text()).toBe('ok');
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });

  // The test servers play hostile servers: a request line a strict parser would refuse is what
  // they must record, not crash on.
  it('records an absolute-form target it could not parse as a URL, and stays up', async () => {
    const server = await startTestServer((_req, res) => res.end('ok'));
    servers.push(server);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.on('data', (chunk: Buffer) => {
        socket.destroy();
        resolve(chunk.toString('latin1'));
      });
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(server.requests.map((request) => request.url)).toEqual(['http://[']);
    expect(await (await fetch(server.url)).text()).toBe('ok');
  });

  it('answers 599 when a handler throws, synchronously or in a promise, and stays up', async () => {
    for (const fail of [
      () => {
        throw new Error('thrown synchronously');
      },
      () => Promise.reject(new Error('rejected')),
    ]) {
      let calls = 0;
      const server = await startTestServer((_req, res) => (++calls === 1 ? fail() : res.end('ok')));
      servers.push(server);
      expect((await fetch(server.url)).status).toBe(599);
      expect(await (await fetch(server.url)).text()).toBe('ok');
    }
  });
});
