import { Command, InvalidArgumentError, Option } from 'commander';
import { note, type Context } from '../context.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { addConnectionOptions, addFilterOptions, addIntervalOption, pollIntervals, type FilteredFlags } from '../options.js';
import { DEFAULT_MAX_TASK_SERIES } from '../serve/defaults.js';
import { DEFAULT_LISTEN, parseListen, type ListenAddress } from '../serve/listen.js';
import { withApis } from './shared.js';

export interface ServeFlags extends FilteredFlags {
  interval: number;
  listen: ListenAddress;
  maxTaskSeries: number;
  state?: string;
}

function parseSeriesLimit(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value))
    throw new InvalidArgumentError('expected a whole number (0 exports no per-task series)');
  return value;
}

/** Resolves when `signal` aborts (Ctrl-C, SIGTERM). */
const stopped = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/** `vmtasks serve`: a Prometheus exporter of every configured appliance's tasks, until stopped. */
export async function serve(flags: ServeFlags, context: Context): Promise<ExitCode> {
  return withApis(context, flags, flags, async (apis) => {
    const listen = `${flags.listen.host}:${flags.listen.port}`;
    // Loaded here: prom-client costs every other command ~0.1 s of start-up.
    const { startExporter } = await import('../serve/exporter.js');
    const exporter = await startExporter(apis, {
      listen: flags.listen,
      maxTaskSeries: flags.maxTaskSeries,
      stateFile: flags.state,
      ...pollIntervals(flags.interval),
      onStateWriteError: (error) =>
        note(context, `cannot write --state ${flags.state}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; counting goes on`),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        throw new UsageError(`cannot listen on ${listen}: the address is in use; choose another with --listen`);
      if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        throw new UsageError(`cannot listen on ${listen} (${error.code}); choose another with --listen`);
      }
      throw error;
    });
    note(context, `serving ${exporter.url}/metrics for ${apis.map((api) => `${api.appliance} (${api.name})`).join(', ')} · Ctrl-C to stop`);
    try {
      await stopped(context.signal);
    } finally {
      await exporter.stop();
    }
    return ExitCode.ok;
  });
}

export function serveCommand(context: Context, statuses: readonly string[], report: (code: ExitCode) => void): Command {
  const command = new Command('serve')
    .description("export every configured appliance's tasks as Prometheus metrics on /metrics (and /healthz), until stopped")
    .addOption(
      new Option('--listen <address>', 'where to serve: HOST:PORT, [IPV6]:PORT, or :PORT for every interface')
        .argParser(parseListen)
        .default(parseListen(DEFAULT_LISTEN), DEFAULT_LISTEN),
    )
    .addOption(
      new Option(
        '--max-task-series <count>',
        'most vmtasks_task_progress_ratio series (one per active task); the rest are counted in vmtasks_task_series_dropped',
      )
        .argParser(parseSeriesLimit)
        .default(DEFAULT_MAX_TASK_SERIES),
    )
    .option('--state <file>', 'keep the finishes counted here, so that a restart does not count them again');
  addFilterOptions(addIntervalOption(addConnectionOptions(command)), statuses);
  return command.action(async (flags: ServeFlags) => {
    report(await serve(flags, context));
  });
}
