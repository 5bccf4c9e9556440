import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminalTaskState, TASK_STATES, type TaskSnapshot, type TaskState, type WatchEvent } from '@vmtasks/core';
import type { TaskApi } from '../sources.js';
import type { FinishLedger, SourceKey } from './finish-ledger.js';
import { KindLabels, labelValue } from './labels.js';
import type { ApplianceView, ExporterMetrics } from './metrics.js';
import { pollErrorKind } from './poll-errors.js';

export interface MonitorOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Wall-clock time in ms (the last-successful-poll gauge); injectable for tests. */
  now: () => number;
}

/** A task's duration from the times the appliance reports, when both are there and make sense. */
function durationSeconds(snapshot: TaskSnapshot): number | undefined {
  if (snapshot.startedAt === undefined || snapshot.endedAt === undefined) return undefined;
  const seconds = (Date.parse(snapshot.endedAt) - Date.parse(snapshot.startedAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * One appliance's watch, kept running for as long as the exporter runs, and what it has seen:
 * the tasks listed now (for the gauges) and each finish, counted once (the ledger). A watch that
 * ends with an error (unreachable before its first answer, credentials refused, a bad answer)
 * marks the appliance down and is started again after a backoff; the others are not affected.
 */
export class ApplianceMonitor implements ApplianceView {
  readonly labels: { appliance: string; api: string };
  readonly #source: SourceKey;
  readonly #api: TaskApi;
  readonly #metrics: ExporterMetrics;
  readonly #ledger: FinishLedger;
  readonly #options: MonitorOptions;
  readonly #kinds = new KindLabels();
  /** Tasks listed at the last poll, by id as the appliance sent it. */
  readonly #tasks = new Map<string, TaskSnapshot>();
  /** `#tasks` per state, kept as tasks come and go: a scrape of a large fleet does not count them again. */
  readonly #counts = Object.fromEntries(TASK_STATES.map((state) => [state, 0])) as Record<TaskState, number>;
  up = false;
  lastSuccessSeconds: number | undefined;

  constructor(api: TaskApi, metrics: ExporterMetrics, ledger: FinishLedger, options: MonitorOptions) {
    this.#api = api;
    this.#source = { appliance: api.appliance, api: api.name };
    this.labels = { appliance: labelValue(api.appliance), api: labelValue(api.name) };
    this.#metrics = metrics;
    this.#ledger = ledger;
    this.#options = options;
    metrics.addAppliance(this.labels);
  }

  stateCounts(): Readonly<Record<TaskState, number>> {
    return this.#counts;
  }

  eachProgress(visit: (task: TaskSnapshot) => void): void {
    for (const task of this.#tasks.values()) {
      if (task.progress !== undefined && !isTerminalTaskState(task.state)) visit(task);
    }
  }

  taskLabels(task: TaskSnapshot): { task_id: string; kind: string } {
    return { task_id: labelValue(task.id), kind: this.#kinds.label(task.kind) };
  }

  /** Watches until `signal` aborts; never throws. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.#watchOnce(signal, () => (failures = 0));
      } catch (error) {
        if (signal.aborted) return;
        this.#failed(error);
        failures++;
      }
      // Started again after a backoff that grows with each failure in a row, up to the longest poll interval.
      const { minIntervalMs, maxIntervalMs } = this.#options;
      const delay = Math.min(maxIntervalMs, minIntervalMs * 2 ** Math.min(failures, 16));
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }

  async #watchOnce(signal: AbortSignal, answered: () => void): Promise<void> {
    const { minIntervalMs, maxIntervalMs } = this.#options;
    // A watch (re)started announces every task listed; the first poll tells which are gone.
    let announced: Set<string> | undefined = new Set();
    for await (const event of this.#api.watch({ signal, minIntervalMs, maxIntervalMs })) {
      this.#apply(event, announced);
      if (event.type === 'polled') {
        answered();
        if (announced) {
          this.#reconcile(announced);
          announced = undefined;
        }
      }
    }
  }

  #apply(event: WatchEvent, announced: Set<string> | undefined): void {
    switch (event.type) {
      case 'appeared':
      case 'changed':
        announced?.add(event.snapshot.id);
        if (event.type === 'appeared') this.#metrics.addKind(this.labels, this.#kinds.label(event.snapshot.kind));
        this.#put(event.snapshot);
        return;
      case 'finished':
        announced?.add(event.snapshot.id);
        this.#put(event.snapshot);
        this.#countFinish(event.snapshot);
        return;
      case 'disappeared':
        this.#remove(event.snapshot.id);
        this.#ledger.forget(this.#source, event.snapshot.id);
        return;
      case 'transient-failure':
        this.#failed(event.error);
        return;
      case 'polled':
        this.up = true;
        this.lastSuccessSeconds = this.#options.now() / 1000;
        return;
      default:
        return;
    }
  }

  #put(snapshot: TaskSnapshot): void {
    const previous = this.#tasks.get(snapshot.id);
    if (previous) this.#counts[previous.state]--;
    this.#tasks.set(snapshot.id, snapshot);
    this.#counts[snapshot.state]++;
  }

  #remove(id: string): void {
    const previous = this.#tasks.get(id);
    if (!previous) return;
    this.#counts[previous.state]--;
    this.#tasks.delete(id);
  }

  #countFinish(snapshot: TaskSnapshot): void {
    if (this.#ledger.has(this.#source, snapshot.id)) return;
    this.#metrics.finished(this.labels, snapshot.state, this.#kinds.label(snapshot.kind), durationSeconds(snapshot));
    this.#ledger.add(this.#source, snapshot.id);
  }

  /** After a (re)started watch's first poll: tasks kept from before that were not listed again have gone. */
  #reconcile(listed: ReadonlySet<string>): void {
    for (const id of [...this.#tasks.keys()]) if (!listed.has(id)) this.#remove(id);
    this.#ledger.retain(this.#source, listed);
  }

  #failed(error: unknown): void {
    this.up = false;
    this.#metrics.pollError(this.labels, pollErrorKind(error));
  }
}
