// A real Prometheus (Debian's `prometheus`) for the exporter's tests: started on a free
// 127.0.0.1 port with a temporary storage directory, scraping one target often, asked through
// its HTTP API. Readiness is awaited (`/-/ready`, then a first scrape), never slept for.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireCommand } from '@vmtasks/testkit';
import { eventually } from './exporter-support.js';

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus {
  readonly url: string;
  /** An instant query, at `time` (Unix seconds) when given. */
  query(promql: string, time?: number): Promise<PromSample[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Prometheus scraping `target` (`host:port`) every `intervalMs`, ready and with a first scrape done. */
export async function startPrometheus(target: string, intervalMs = 500): Promise<RunningPrometheus> {
  const binary = requireCommand('prometheus', 'prometheus');
  const dir = await mkdtemp(path.join(tmpdir(), 'vmtasks-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      `  scrape_interval: ${intervalMs}ms`,
      `  scrape_timeout: ${intervalMs}ms`,
      'scrape_configs:',
      '  - job_name: vmtasks',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (log = `${log}${text}`.slice(-4_000)));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited(child);
    await rm(dir, { recursive: true, force: true });
  };
  const query = async (promql: string, time?: number): Promise<PromSample[]> => {
    const parameters = new URLSearchParams({ query: promql, ...(time === undefined ? {} : { time: String(time) }) });
    const response = await fetch(`${url}/api/v1/query?${parameters}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error ?? response.status}`);
    return body.data!.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw Object.assign(new Error(`prometheus exited (${child.exitCode}): ${log}`), { fatal: true });
        const ready = await fetch(`${url}/-/ready`);
        if (ready.status !== 200) throw new Error(`not ready: ${ready.status}`);
      },
      120_000,
      100,
    );
    await eventually(
      async () => {
        const up = await query('up{job="vmtasks"}');
        if (up[0]?.value !== 1) throw new Error(`no successful scrape of ${target} yet: ${JSON.stringify(up)}; log: ${log}`);
      },
      120_000,
      100,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, query, stop };
}
