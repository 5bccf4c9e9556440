import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A turborepo-remote-cache server this process started, and what turbo needs to use it. */
export interface RemoteCacheServer {
  /** `TURBO_API`: http://127.0.0.1:<port> */
  url: string;
  /** `TURBO_TOKEN`: a random bearer token the server accepts, made for this server. */
  token: string;
  /** `TURBO_TEAM` */
  team: string;
  /** Where the server keeps artifacts: `<storageDir>/<team>/<hash>` and, signed, `<hash>.tag`. */
  teamDir: string;
  /** What the server printed (its JSON log lines). */
  log(): string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const serverCli = path.join(path.dirname(require.resolve('turborepo-remote-cache/package.json')), 'dist/cli.js');

/**
 * Starts turborepo-remote-cache on 127.0.0.1 (it listens on every interface unless told
 * otherwise) on a port the system picks, with local storage in `storageDir`, and resolves once it
 * says where it listens. It gets only the variables it needs, none of this process's. The start-up
 * limit is generous: under a loaded 2-core CI machine (load average 30) the server once took
 * over 60 s to load.
 */
export async function startRemoteCache(storageDir: string, { readyTimeoutMs = 300_000 } = {}): Promise<RemoteCacheServer> {
  const token = randomBytes(24).toString('base64url');
  const team = 'vmtasks';
  const child = spawn(process.execPath, [serverCli], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      STORAGE_PROVIDER: 'local',
      STORAGE_PATH: storageDir,
      STORAGE_PATH_USE_TMP_FOLDER: 'false',
      AUTH_MODE: 'static',
      TURBO_TOKEN: token,
      // The server never signs nor verifies (turbo does both): any value only makes it keep and
      // serve the signature turbo sends with each artifact. The real key stays with turbo.
      TURBO_REMOTE_CACHE_SIGNATURE_KEY: 'keep-signatures',
      LOG_LEVEL: 'info',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const check = (): void => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      const timer = setTimeout(
        () => reject(new Error(`turborepo-remote-cache did not start within ${readyTimeoutMs} ms:\n${output}`)),
        readyTimeoutMs,
      );
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`turborepo-remote-cache exited (${code}) before listening:\n${output}`));
      });
    });
    return { url, token, team, teamDir: path.join(storageDir, team), log: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
