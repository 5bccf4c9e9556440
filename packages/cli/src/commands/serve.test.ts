// `vmtasks serve` as a command: its flags, its start-up note, and a clean stop on SIGTERM.
import { createServer } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SNAPSERVICE_SERVICES, startSimulator, type Simulator } from '@vmtasks/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, scrape, total } from '../../test/exporter-support.js';
import { fakeIO, runMain } from '../../test/fake-io.js';
import { main } from '../main.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ clock: 'manual', seed: 3 });
});
afterEach(() => sim.stop());

const env = (): Record<string, string> => ({ ...sim.env(), SNAPSERVICE_SERVICES: SNAPSERVICE_SERVICES.join(',') });

describe('vmtasks serve', () => {
  it.each([['nonsense'], ['127.0.0.1'], ['127.0.0.1:70000'], ['host:port'], ['[::1:9464']])(
    'exits 2 with a helpful line for --listen %s',
    async (listen) => {
      const { code, stderr } = await runMain(['serve', '--listen', listen], env());
      expect(code).toBe(2);
      expect(stderr).toContain('expected HOST:PORT (e.g. 127.0.0.1:9464');
    },
  );

  it('exits 2 when the address is taken, naming it and the flag', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const { code, stderr } = await runMain(['serve', '--listen', `127.0.0.1:${port}`], env());
      expect(code).toBe(2);
      expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: the address is in use; choose another with --listen`);
    } finally {
      taken.close();
    }
  });

  it('serves until SIGTERM, then closes the server, ends the watches, writes --state and exits 143', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vmtasks-serve-'));
    try {
      const stateFile = path.join(dir, 'state.json');
      await sim.advance(10 * 60_000);
      const io = fakeIO(env());
      const stop = new AbortController();
      const running = main(['serve', '--listen', '127.0.0.1:0', '--interval', '100ms', '--state', stateFile], io, stop.signal);
      const url = await eventually(() => {
        const found = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics for velostrata \(velostrata\), snapservice \(snapservice\)/.exec(
          io.stderr.text(),
        );
        if (!found) throw new Error(`not serving yet: ${io.stderr.text()}`);
        return found[1]!;
      });
      const finished = await eventually(async () => {
        const { samples } = await scrape(url);
        expect(total(samples, 'vmtasks_up')).toBe(2);
        const count = total(samples, 'vmtasks_tasks_finished_total');
        expect(count).toBeGreaterThan(0);
        return count;
      });
      stop.abort('SIGTERM');
      expect(await running).toBe(143);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { counted: Record<string, Record<string, string[]>> };
      expect(Object.values(saved.counted).flatMap((apis) => Object.values(apis).flat())).toHaveLength(finished);
      expect(io.stdout.text()).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
