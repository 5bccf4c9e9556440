import { setMaxListeners } from 'node:events';
import type { TaskApi } from '../sources.js';
import { openFinishLedger } from './finish-ledger.js';
import { closeHttpServer, startHttpServer } from './http-server.js';
import type { ListenAddress } from './listen.js';
import { ApplianceMonitor } from './appliance-monitor.js';
import { ExporterMetrics } from './metrics.js';

export interface ExporterOptions {
  listen: ListenAddress;
  maxTaskSeries: number;
  /** Where counted finishes are kept across restarts; in memory only when undefined. */
  stateFile: string | undefined;
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Told when the state file cannot be written (the exporter goes on). */
  onStateWriteError: (error: unknown) => void;
  now?: () => number;
}

export interface Exporter {
  /** `http://HOST:PORT`, the address listened on. */
  readonly url: string;
  /** Stops the watches, closes the server, writes the state file; resolves when all is done. */
  stop(): Promise<void>;
}

/** Starts watching every appliance of `apis` and serving their metrics. */
export async function startExporter(apis: readonly TaskApi[], options: ExporterOptions): Promise<Exporter> {
  const ledger = await openFinishLedger(options.stateFile, options.onStateWriteError);
  const monitors: ApplianceMonitor[] = [];
  const metrics = new ExporterMetrics({ appliances: monitors }, options.maxTaskSeries);
  const now = options.now ?? Date.now;
  for (const api of apis) {
    monitors.push(
      new ApplianceMonitor(api, metrics, ledger, { minIntervalMs: options.minIntervalMs, maxIntervalMs: options.maxIntervalMs, now }),
    );
  }
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    http = await startHttpServer(options.listen, metrics);
  } catch (error) {
    await ledger.close();
    throw error;
  }
  const watching = new AbortController();
  // Every appliance's watch and backoff listens to this one signal: a fleet is not a leak.
  setMaxListeners(0, watching.signal);
  const runs = monitors.map((monitor) => monitor.run(watching.signal));
  let stopped: Promise<void> | undefined;
  return {
    url: http.url,
    stop: () =>
      (stopped ??= (async () => {
        watching.abort();
        await Promise.all([closeHttpServer(http.server), ...runs]);
        await ledger.close();
      })()),
  };
}
