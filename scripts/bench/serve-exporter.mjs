// `vmtasks serve`'s exporter in a process of its own, as it runs in production, so that its
// resident memory and CPU time are its own (the simulated appliances run in the parent). Built
// from packages/cli/dist (npm run bench builds first). Told the appliances over IPC; answers
// `stats` with its RSS, heap, CPU time and the poll rounds done so far, and `scrape` with the time
// a GET /metrics took.
import { connect } from '../../packages/cli/dist/sources.js';
import { resolveConnections } from '../../packages/cli/dist/config.js';
import { startExporter } from '../../packages/cli/dist/serve/exporter.js';

const NO_FILTERS = { task: [], service: [], status: [], operation: [], user: [] };
let polled = 0;

async function* countingPolls(events) {
  for await (const event of events) {
    if (event.type === 'polled') polled++;
    yield event;
  }
}

process.once('message', async ({ appliances, intervalMs }) => {
  const apis = appliances.flatMap(({ name, env }) =>
    connect(resolveConnections({ api: 'all' }, env, NO_FILTERS)).map((api) => ({
      ...api,
      appliance: `${name}-${api.name}`,
      watch: (options) => countingPolls(api.watch(options)),
    })),
  );
  const exporter = await startExporter(apis, {
    listen: { host: '127.0.0.1', port: 0 },
    maxTaskSeries: 1_000,
    stateFile: undefined,
    minIntervalMs: intervalMs,
    maxIntervalMs: intervalMs,
    onStateWriteError: () => undefined,
  });
  process.on('message', async (message) => {
    if (message === 'stats') {
      const { rss, heapUsed } = process.memoryUsage();
      process.send({ rssMiB: rss / 2 ** 20, heapMiB: heapUsed / 2 ** 20, cpu: process.cpuUsage(), rounds: polled / apis.length });
    } else if (message === 'scrape') {
      // Timed from a client in this process: what the exporter's own event loop makes a scraper
      // wait, without the parent's (busy serving the simulated appliances) in the figure.
      const started = performance.now();
      const body = await (await fetch(`${exporter.url}/metrics`)).text();
      process.send({ ms: performance.now() - started, bytes: body.length });
    }
  });
  process.on('disconnect', () => {
    void exporter
      .stop()
      .then(() => Promise.allSettled(apis.map((api) => api.close())))
      .then(() => process.exit(0));
  });
  process.send({ url: exporter.url, appliances: apis.length });
});
