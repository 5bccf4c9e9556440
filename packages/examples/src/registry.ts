// A real npm registry for the install tests: Verdaccio in this process on 127.0.0.1 and a free
// port, storage in a temporary folder, no uplinks (it serves only what the test publishes).
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runServer } from 'verdaccio';

export interface LocalRegistry {
  url: string;
  /** A token of a user created on this registry, for `npm publish`. */
  token: string;
  stop(): Promise<void>;
}

interface Listenable {
  listen(port: number, host: string): Server;
}

export async function startRegistry(scope: string): Promise<LocalRegistry> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmtasks-registry-'));
  const app: Listenable = await runServer({
    self_path: dir,
    storage: path.join(dir, 'storage'),
    uplinks: {},
    packages: {
      [`${scope}/*`]: { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
      '**': { access: '$all', publish: '$authenticated' },
    },
    auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 10 } },
    web: { enable: false },
    log: { type: 'stdout', format: 'pretty', level: 'error' },
    // Verdaccio's own update check and telemetry-free defaults: nothing leaves 127.0.0.1.
    publish: { allow_offline: true },
  } as unknown as Parameters<typeof runServer>[0]);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // The npm client's own `adduser` call: creates the user and returns its token.
    const response = await fetch(`${url}-/user/org.couchdb.user:publisher`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'publisher', password: 'publisher-password' }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!response.ok || !token) throw new Error(`could not create a user on the local registry: HTTP ${response.status}`);
    return { url, token, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
