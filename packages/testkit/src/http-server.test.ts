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
});
