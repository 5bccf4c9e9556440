import { Counter, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { TASK_STATES, type TaskSnapshot, type TaskState } from '@vmtasks/core';
import { POLL_ERROR_KINDS, type PollErrorKind } from './poll-errors.js';

/** What the scrape-time gauges read: the appliances as their watches last saw them. */
export interface FleetView {
  readonly appliances: readonly ApplianceView[];
}

export interface ApplianceView {
  /** Label values, already bounded. */
  readonly labels: { appliance: string; api: string };
  readonly up: boolean;
  /** Unix seconds of the last poll that answered, undefined before the first. */
  readonly lastSuccessSeconds: number | undefined;
  /** How many tasks are listed now, per state. */
  stateCounts(): Readonly<Record<TaskState, number>>;
  /** Calls `visit` with each active task that reports its progress. */
  eachProgress(visit: (task: TaskSnapshot) => void): void;
  /** A task's `task_id` and `kind` label values (bounded): computed only for the series exported. */
  taskLabels(task: TaskSnapshot): { task_id: string; kind: string };
}

const TERMINAL_STATES = ['succeeded', 'failed', 'cancelled'] as const satisfies readonly TaskState[];

/** Buckets for task durations, 5 s to 1 day (a snapshot takes seconds, a migration hours): ten, as each is a series per appliance, kind and state. */
const DURATION_BUCKETS = [5, 30, 60, 300, 900, 1_800, 3_600, 7_200, 21_600, 86_400];

/**
 * The exporter's metrics in one prom-client registry. Counters and the histogram are updated as
 * events arrive; the gauges are computed from `fleet` at each scrape (prom-client's `collect`),
 * so a gauge never lags behind or outlives the task it describes.
 */
export class ExporterMetrics {
  readonly registry = new Registry<RegistryContentType>();
  readonly #finished: Counter<'appliance' | 'api' | 'state' | 'kind'>;
  readonly #duration: Histogram<'appliance' | 'api' | 'kind' | 'state'>;
  readonly #pollErrors: Counter<'appliance' | 'api' | 'kind'>;
  /** Counters by their name in the Prometheus text format (see `render`). */
  readonly #counterNames = new Map<Counter<string>, string>();
  #rendering: Promise<unknown> = Promise.resolve();

  constructor(fleet: FleetView, maxTaskSeries: number) {
    const registers = [this.registry];
    this.#finished = new Counter({
      name: 'vmtasks_tasks_finished_total',
      help: 'Tasks seen reaching a terminal state, each counted once (across restarts with --state).',
      labelNames: ['appliance', 'api', 'state', 'kind'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'vmtasks_task_duration_seconds',
      help: 'Duration of finished tasks, from the start and end times the appliance reports.',
      labelNames: ['appliance', 'api', 'kind', 'state'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#pollErrors = new Counter({
      name: 'vmtasks_poll_errors_total',
      help: 'Polls of an appliance that failed, by kind of trouble.',
      labelNames: ['appliance', 'api', 'kind'],
      registers,
    });
    for (const counter of [this.#finished, this.#pollErrors]) this.#counterNames.set(counter, nameOf(counter));
    new Gauge({
      name: 'vmtasks_tasks',
      help: 'Tasks an appliance lists now, by normalized state.',
      labelNames: ['appliance', 'api', 'state'],
      registers,
      collect() {
        this.reset();
        for (const appliance of fleet.appliances) {
          const counts = appliance.stateCounts();
          for (const state of TASK_STATES) this.set({ ...appliance.labels, state }, counts[state]);
        }
      },
    });
    let dropped = 0;
    new Gauge({
      name: 'vmtasks_task_progress_ratio',
      help: `Fraction done of each active task that reports progress (at most --max-task-series series; see vmtasks_task_series_dropped).`,
      labelNames: ['appliance', 'api', 'task_id', 'kind'],
      registers,
      collect() {
        this.reset();
        let exported = 0;
        dropped = 0;
        for (const appliance of fleet.appliances) {
          appliance.eachProgress((task) => {
            if (exported >= maxTaskSeries) {
              dropped++;
              return;
            }
            exported++;
            this.set({ ...appliance.labels, ...appliance.taskLabels(task) }, task.progress!);
          });
        }
      },
    });
    // Registered after the progress gauge: collected after it, it reads what that scrape dropped.
    new Gauge({
      name: 'vmtasks_task_series_dropped',
      help: 'Active tasks left out of vmtasks_task_progress_ratio at the last scrape because of --max-task-series.',
      registers,
      collect() {
        this.set(dropped);
      },
    });
    new Gauge({
      name: 'vmtasks_task_series_limit',
      help: 'The --max-task-series limit on vmtasks_task_progress_ratio series.',
      registers,
    }).set(maxTaskSeries);
    new Gauge({
      name: 'vmtasks_up',
      help: '1 when the last poll of the appliance answered, 0 when it failed (down, or credentials refused).',
      labelNames: ['appliance', 'api'],
      registers,
      collect() {
        this.reset();
        for (const appliance of fleet.appliances) this.set(appliance.labels, appliance.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'vmtasks_last_successful_poll_timestamp_seconds',
      help: 'When the appliance last answered a poll (Unix seconds); absent before its first answer.',
      labelNames: ['appliance', 'api'],
      registers,
      collect() {
        this.reset();
        for (const appliance of fleet.appliances) {
          if (appliance.lastSuccessSeconds !== undefined) this.set(appliance.labels, appliance.lastSuccessSeconds);
        }
      },
    });
  }

  /** Creates an appliance's poll-error series at 0, so that `increase()` sees its first error. */
  addAppliance(labels: { appliance: string; api: string }): void {
    for (const kind of POLL_ERROR_KINDS) this.#pollErrors.inc({ ...labels, kind }, 0);
  }

  /** Creates the finish series of a kind at 0 when a task of it is first seen running: its first finish then shows in `increase()`. */
  addKind(labels: { appliance: string; api: string }, kind: string): void {
    for (const state of TERMINAL_STATES) this.#finished.inc({ ...labels, state, kind }, 0);
  }

  finished(labels: { appliance: string; api: string }, state: TaskState, kind: string, durationSeconds: number | undefined): void {
    this.#finished.inc({ ...labels, state, kind });
    if (durationSeconds !== undefined) this.#duration.observe({ ...labels, kind, state }, durationSeconds);
  }

  pollError(labels: { appliance: string; api: string }, kind: PollErrorKind): void {
    this.#pollErrors.inc({ ...labels, kind });
  }

  /**
   * The exposition, in OpenMetrics or the Prometheus text format. One render at a time: prom-client
   * renames counters in place for OpenMetrics (drops `_total`) and reads the registry's content
   * type, so concurrent scrapes in both formats would otherwise see each other's names.
   */
  render(openMetrics: boolean): Promise<{ contentType: string; body: string }> {
    const rendered = this.#rendering.then(async () => {
      const contentType = openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
      this.registry.setContentType(contentType);
      for (const [counter, name] of this.#counterNames) setName(counter, name);
      return { contentType, body: await this.registry.metrics() };
    });
    this.#rendering = rendered.catch(() => undefined);
    return rendered;
  }
}

// prom-client keeps a metric's name in a public field its types do not declare.
const nameOf = (metric: Counter<string>): string => (metric as unknown as { name: string }).name;
const setName = (metric: Counter<string>, name: string): void => {
  (metric as unknown as { name: string }).name = name;
};
