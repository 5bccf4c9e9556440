// Run by decode.test.ts in a process of its own (`node --expose-gc --import tsx`), so that the
// memory it measures is the transport's alone: for each decompression bomb, a local server sends
// it and the transport fetches it, while the peak growth of Node's Buffer memory
// (`arrayBuffers`) and of the resident set is sampled. Prints one JSON line per bomb.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { Redactor } from '../redact.js';
import { Transport } from '../transport.js';
import { anyJson } from './any-json.js';

const MiB = 1024 * 1024;
const CAP = 32 * MiB;

// A gzip stream may hold many members, one after another: a 1 KiB member of 1 MiB of zeros,
// repeated, is a bomb of any size made in no time.
const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
const gzipBomb = (decodedMiB: number): Buffer => Buffer.concat(Array.from({ length: decodedMiB }, () => member));
// deflate and brotli streams cannot be repeated that way: 256 MiB of zeros, 8 times the cap.
function zlibBombs(): { deflate: Buffer; rawDeflate: Buffer; br: Buffer } {
  const zeros = Buffer.alloc(256 * MiB);
  return {
    deflate: deflateSync(zeros, { level: 9 }),
    rawDeflate: deflateRawSync(zeros, { level: 9 }),
    br: brotliCompressSync(zeros, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
  };
}
const { deflate, rawDeflate, br } = zlibBombs();

const bombs: { name: string; encoding: string; body: Buffer }[] = [
  { name: 'gzip, 1 GiB', encoding: 'gzip', body: gzipBomb(1024) },
  { name: 'deflate, 256 MiB', encoding: 'deflate', body: deflate },
  { name: 'raw deflate, 256 MiB', encoding: 'deflate', body: rawDeflate },
  { name: 'br, 256 MiB', encoding: 'br', body: br },
  { name: 'gzip, gzip: 1 GiB inside', encoding: 'gzip, gzip', body: gzipSync(gzipBomb(1024)) },
  { name: 'br, gzip: 1 GiB inside', encoding: 'gzip, br', body: brotliCompressSync(gzipBomb(1024)) },
  // Compressed, it is just under the cap: read whole before decoding, it would double the peak.
  { name: 'gzip, 30 MiB compressed, 30 GiB decoded', encoding: 'gzip', body: gzipBomb(30 * 1024) },
];

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

let current = bombs[0]!;
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': current.encoding });
  res.end(current.body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bomb`;
const transport = new Transport({ baseUrl: url, redactor: new Redactor([]), maxResponseBytes: CAP, retry: false, timeoutMs: 600_000 });

for (const bomb of bombs) {
  current = bomb;
  gc();
  const before = process.memoryUsage();
  const peak = { arrayBuffers: before.arrayBuffers, rss: before.rss };
  const sample = (): void => {
    const now = process.memoryUsage();
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
    peak.rss = Math.max(peak.rss, now.rss);
  };
  const sampler = setInterval(sample, 1);
  const outcome = await transport.invoke(anyJson, { method: 'GET', url, headers: {} }).then(
    () => 'no error',
    (error: unknown) => (error instanceof Error ? error.name : String(error)),
  );
  sample();
  clearInterval(sampler);
  const growth = { arrayBuffersMiB: (peak.arrayBuffers - before.arrayBuffers) / MiB, rssMiB: (peak.rss - before.rss) / MiB };
  console.log(JSON.stringify({ name: bomb.name, compressedBytes: bomb.body.length, capMiB: CAP / MiB, outcome, ...growth }));
}
await transport.close();
server.close();
