import { startTestServer, type Handler, type TestServer } from '@vmtasks/testkit';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { contentDecoder, DecodedTooLargeError } from './decompress.js';
import { ResponseTooLargeError, TransportError } from '../errors.js';
import { Redactor } from '../redact.js';
import { anyJson } from '../test-support/any-json.js';
import { Transport, type TransportOptions } from '../transport.js';

const MiB = 1024 * 1024;
const servers: TestServer[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

function transport(baseUrl: string, options: TransportOptions = {}): Transport {
  const made = new Transport({ retry: false, ...options, baseUrl, redactor: new Redactor([]) });
  transports.push(made);
  return made;
}

const fetchJson = (t: Transport, url: string): Promise<unknown> => t.invoke(anyJson, { method: 'GET', url, headers: {} });

/** Decodes `chunks` with a fresh decoder, each written on its own. */
async function decodeChunks(encoding: string, chunks: Buffer[], maxBytes = MiB): Promise<string> {
  const decoder = contentDecoder(encoding, maxBytes);
  if (!decoder) return Buffer.concat(chunks).toString();
  for (const chunk of chunks) decoder.write(chunk);
  return (await decoder.finish()).toString();
}

const text = '{"items":["decoded as it arrives"]}';
const oneByteChunks = (buffer: Buffer): Buffer[] => [...buffer].map((byte) => Buffer.of(byte));

describe('content decoding', () => {
  it('undoes gzip, deflate (zlib-wrapped or raw), br and nested codings, last applied first undone', async () => {
    const cases: [string, Buffer][] = [
      ['gzip', gzipSync(text)],
      ['x-gzip', gzipSync(text)],
      ['deflate', deflateSync(text)],
      ['deflate', deflateRawSync(text)],
      ['br', brotliCompressSync(text)],
      ['gzip, br', brotliCompressSync(gzipSync(text))],
      ['deflate, gzip', gzipSync(deflateRawSync(text))],
      ['GZIP , identity', gzipSync(text)],
    ];
    for (const [encoding, body] of cases) {
      expect(await decodeChunks(encoding, [body]), encoding).toBe(text);
      // However the network cuts it: deflate's flavour is read from its first two bytes.
      expect(await decodeChunks(encoding, oneByteChunks(body)), `${encoding}, byte by byte`).toBe(text);
    }
  });

  it('leaves an unknown coding, and what was applied before it, as it is; an empty body stays empty', async () => {
    expect(contentDecoder('identity', MiB)).toBeUndefined();
    expect(contentDecoder('zstd', MiB)).toBeUndefined();
    expect(await decodeChunks('zstd, gzip', [gzipSync('zstd bytes')])).toBe('zstd bytes');
    expect(await decodeChunks('gzip', [])).toBe('');
  });

  it('stops every layer at the cap, and reports a corrupt body once', async () => {
    const decoder = contentDecoder('gzip, gzip', 1024)!;
    const failures: Error[] = [];
    decoder.onFailure = (error) => failures.push(error);
    decoder.write(gzipSync(gzipSync(Buffer.alloc(64 * 1024))));
    await expect(decoder.finish()).rejects.toBeInstanceOf(DecodedTooLargeError);
    expect(failures).toHaveLength(1);

    const corrupt = contentDecoder('gzip', MiB)!;
    corrupt.write(Buffer.from('not gzip at all'));
    await expect(corrupt.finish()).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
  });

  it('through the transport: a decoded response, and a corrupt one as a TransportError', async () => {
    const server = await serve((request, res) => {
      const body = request.url === '/corrupt' ? Buffer.from('garbage') : brotliCompressSync(gzipSync(text));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, br' });
      res.end(body);
    });
    const t = transport(server.url);
    expect(await fetchJson(t, `${server.url}/ok`)).toEqual(JSON.parse(text));
    const error = await fetchJson(t, `${server.url}/corrupt`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
  });
});

describe('decompression bombs', () => {
  it('stop at maxResponseBytes with memory bounded by the cap: gzip, deflate, raw deflate, br, nested, and one compressed to just under the cap', {
    timeout: 300_000,
  }, async () => {
    const script = fileURLToPath(new URL('../test-support/bomb-peak.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      cwd: path.dirname(script),
      maxBuffer: 1024 * 1024,
    });
    const results = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; outcome: string; capMiB: number; arrayBuffersMiB: number; rssMiB: number });
    expect(results.map((result) => result.name)).toHaveLength(7);
    for (const result of results) {
      expect(result.outcome, result.name).toBe('ResponseTooLargeError');
      // The decoded body kept up to the cap, plus a few zlib chunks in flight; reading the
      // compressed body whole first would add it on top (~60 MiB for the last bomb).
      expect(result.arrayBuffersMiB, result.name).toBeLessThan(result.capMiB + 16);
      expect(result.rssMiB, result.name).toBeLessThan(200);
    }
  });

  it('stop reading the body once the decoded size passes the cap', async () => {
    const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
    // ~60 MiB of gzip under a 64 MiB cap, 60 GiB decoded: the whole of it would be read first
    // if decoding waited for the end of the body.
    const body = Buffer.concat(Array.from({ length: 60 * 1024 }, () => member));
    let socketClosed: (bytesWritten: number) => void = () => undefined;
    const written = new Promise<number>((resolve) => (socketClosed = resolve));
    const server = await serve((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const socket = res.socket;
      // Settled when the client hangs up, or when all of it was read.
      socket?.on('close', () => socketClosed(socket.bytesWritten));
      res.on('finish', () => socketClosed(socket?.bytesWritten ?? 0));
      const pump = (offset: number): void => {
        for (let at = offset; at < body.length; at += 64 * 1024) {
          if (res.destroyed) return;
          if (!res.write(body.subarray(at, at + 64 * 1024))) return void res.once('drain', () => pump(at + 64 * 1024));
        }
        res.end();
      };
      pump(0);
    });
    const error = await fetchJson(transport(server.url, { maxResponseBytes: 64 * MiB }), server.url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    // Socket buffers on loopback hold a few MiB at most; reading to the end would take all 60.
    expect(await written).toBeLessThan(30 * MiB);
  });
});
