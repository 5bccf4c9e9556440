// Bounded resources: a compressed bomb or an endless body stops at maxResponseBytes, counted on
// decoded bytes, with one typed error and without retrying.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendEndless } from '../http-server.js';
import { settle, type Harness } from './target.js';

export function describeBounds<Client extends { close(): Promise<void> }>(h: Harness<Client>): void {
  const { target, serve, expectNothingExposed } = h;
  const { errors } = target;

  describe('bounded resources', () => {
    // A gzip bomb: ~256 MiB of zeros in a few hundred KiB.
    let bomb: Buffer;
    beforeAll(() => {
      bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 });
    });

    const grows = async (run: () => Promise<unknown>): Promise<{ result: unknown; growthMiB: number }> => {
      const before = process.memoryUsage();
      const result = await run();
      const after = process.memoryUsage();
      return { result, growthMiB: (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20 };
    };

    it('stops a gzip bomb at maxResponseBytes, counted on decoded bytes', async () => {
      const appliance = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
        res.end(bomb);
      });
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const { result, growthMiB } = await grows(() => settle(target.call(h.client(appliance.url))));
      expect(result).toBeInstanceOf(errors.ResponseTooLargeError);
      expect(result).toMatchObject({ status: 200, limitBytes: 32 * 1024 * 1024 });
      expectNothingExposed(result);
      expect(growthMiB).toBeLessThan(128);
      expect(appliance.requests).toHaveLength(1);
    });

    it('stops deflate and brotli bombs at the cap with the same typed error', async () => {
      const zeros = Buffer.alloc(16 * 1024 * 1024);
      const bombs = { deflate: deflateSync(zeros, { level: 9 }), br: brotliCompressSync(zeros) };
      const appliance = await serve((req, res) => {
        const coding = req.headers['x-coding'] === 'br' ? 'br' : 'deflate';
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
        res.end(bombs[coding]);
      });
      for (const coding of Object.keys(bombs)) {
        const error = await settle(
          target.call(h.client(appliance.url, { maxResponseBytes: 1024 * 1024 }), { headers: { 'x-coding': coding } }),
        );
        expect(error).toBeInstanceOf(errors.ResponseTooLargeError);
        expect(error).toMatchObject({ status: 200, limitBytes: 1024 * 1024 });
        expectNothingExposed(error);
      }
    });

    it('stops an endless body at the cap, and refuses an announced huge one at once', async () => {
      const appliance = await serve((req, res) => {
        if (req.headers['x-case'] === 'announced') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) });
          res.write('{"items":[');
          return;
        }
        sendEndless(res);
      });
      const client = h.client(appliance.url, { maxResponseBytes: 4 * 1024 * 1024 });
      const endless = await settle(target.call(client));
      expect(endless).toBeInstanceOf(errors.ResponseTooLargeError);
      expect(endless).toMatchObject({ limitBytes: 4 * 1024 * 1024 });
      expectNothingExposed(endless);
      const announced = await settle(target.call(client, { headers: { 'x-case': 'announced' } }));
      expect(announced).toBeInstanceOf(errors.ResponseTooLargeError);
      expectNothingExposed(announced);
      // Not worth retrying: the next answer would be as large.
      expect(appliance.requests).toHaveLength(2);
    });
  });
}
