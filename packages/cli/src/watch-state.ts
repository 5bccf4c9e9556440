import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CheckpointTracker, checkpointProblem, type WatchCheckpoint, type WatchEvent } from '@vmtasks/core';
import { UsageError } from './exit-codes.js';

/**
 * `vmtasks watch --state FILE`: each appliance's checkpoint, so that a watch restarted with the
 * same file announces only what changed while it was stopped. Ids, states and fingerprints only:
 * no credentials, no server text.
 */
export interface WatchState {
  version: 1;
  /** By appliance name. */
  appliances: Record<string, WatchCheckpoint>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The checkpoints in `file`; none when it does not exist yet (the first run). A file that cannot
 * be read or is not a state file is a `UsageError` (exit 2), not a fresh start: starting afresh
 * would announce every task again, and whatever acts on the events (a pipeline step per finished
 * task) would act twice. The operator decides: fix the path, or delete the file.
 */
export function readWatchState(file: string): Record<string, WatchCheckpoint> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`--state ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const unusable = (why: string): UsageError =>
    new UsageError(`--state ${file}: ${why}; it is not a state file vmtasks watch wrote (delete it to start afresh)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unusable('not JSON');
  }
  if (!isObject(value) || value.version !== 1 || !isObject(value.appliances)) throw unusable('no version 1 and appliances');
  for (const [appliance, checkpoint] of Object.entries(value.appliances)) {
    const problem = checkpointProblem(checkpoint);
    // The appliance name is the user's own (their configuration), printed as JSON so nothing in it moves a cursor.
    if (problem) throw unusable(`the checkpoint of ${JSON.stringify(appliance)} ${problem}`);
  }
  return value.appliances as Record<string, WatchCheckpoint>;
}

/**
 * Replaces `file` with `state` atomically: written and flushed to a temporary file in the same
 * folder, then renamed over it, so a crash leaves the old state or the new one, never half of one.
 */
export function writeWatchState(file: string, appliances: Record<string, WatchCheckpoint>): void {
  const state: WatchState = { version: 1, appliances };
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(state)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`--state ${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The state file of one watch: each appliance's checkpoint follows the events printed, and the
 * file is rewritten after a poll that changed something and when the watch stops. Built from the
 * events the command handled rather than asked of the watches, which run ahead of the printing.
 */
export class WatchStateFile {
  readonly #trackers = new Map<string, CheckpointTracker>();
  readonly #saved: Record<string, WatchCheckpoint>;
  // The first poll writes the file even when it saw no task: it exists from then on.
  #dirty = true;

  constructor(
    readonly file: string,
    saved: Record<string, WatchCheckpoint>,
  ) {
    this.#saved = saved;
  }

  resumeOptions(appliance: string): { resumeFrom?: WatchCheckpoint } {
    const from = this.#saved[appliance];
    this.#trackers.set(appliance, new CheckpointTracker(from));
    return from ? { resumeFrom: from } : {};
  }

  /**
   * After `event` was printed. The events are those the server-text gate let through: in JSON
   * output only known secrets are redacted, so a task whose text contained one counts as changed
   * once more after a restart (announced again, never lost).
   */
  handled(appliance: string, event: WatchEvent): void {
    if (event.type === 'polled') {
      if (this.#dirty) this.save();
      return;
    }
    if (event.type === 'appeared' || event.type === 'changed' || event.type === 'finished' || event.type === 'disappeared') {
      this.#trackers.get(appliance)?.apply(event);
      this.#dirty = true;
    }
  }

  save(): void {
    if (!this.#dirty) return;
    // Appliances not watched this time keep their checkpoints.
    const appliances = { ...this.#saved };
    for (const [appliance, tracker] of this.#trackers) appliances[appliance] = tracker.checkpoint();
    writeWatchState(this.file, appliances);
    this.#dirty = false;
  }
}
