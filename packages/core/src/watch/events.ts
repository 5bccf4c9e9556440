import type { VmtasksError } from '../errors.js';
import type { TaskSnapshot } from './snapshot.js';

/**
 * What a watch reports, discriminated on `type`. `Item` is the client's own typed task
 * (snapservice `ListItem`, Velostrata `TaskDescription`), carried beside its snapshot.
 *
 * Each transition is reported once: a task is first seen as `appeared` (not terminal) or
 * `finished` (already terminal); then `changed` for any change that leaves it non-terminal,
 * `finished` when it reaches a terminal state (never also `changed`), and `disappeared` when it
 * leaves the list. Each successful poll ends with one `polled`. A watch resumed from a checkpoint
 * announces only what changed since: a task it kept is not `appeared` again.
 *
 * When no poll has succeeded for `stallAfterMs`, one `stalled` says so (polling goes on), and one
 * `recovered` comes before the events of the next successful poll.
 */
export type WatchEvent<Item = unknown> =
  | { type: 'appeared'; snapshot: TaskSnapshot; item: Item }
  | { type: 'changed'; snapshot: TaskSnapshot; previous: TaskSnapshot; item: Item }
  /** `previous` is undefined when the task was already terminal when first seen. */
  | { type: 'finished'; snapshot: TaskSnapshot; previous: TaskSnapshot | undefined; item: Item }
  /**
   * `snapshot` and `item` as last seen. After a resume, a task that left the list while the watch
   * was stopped has `item` undefined and a snapshot of what the checkpoint kept (api, id, state);
   * likewise the `previous` of its first `changed`/`finished`.
   */
  | { type: 'disappeared'; snapshot: TaskSnapshot; item: Item | undefined }
  /** A poll failed in a way that may heal; the next one comes in `retryInMs`. */
  | { type: 'transient-failure'; error: VmtasksError; failures: number; retryInMs: number }
  /** `count` tasks were listed at `at` (ISO 8601, the watch's clock). */
  | { type: 'polled'; count: number; at: string }
  /** No poll has succeeded since `since` (ISO 8601: the last success, or the start) for `stallAfterMs`; `lastError` is why. */
  | { type: 'stalled'; since: string; lastError: VmtasksError }
  /** A poll succeeded again at `at`, ending the stall that began at `since`. */
  | { type: 'recovered'; since: string; at: string };

/** The events about one task. */
export type TaskEvent<Item = unknown> = Extract<WatchEvent<Item>, { snapshot: TaskSnapshot }>;

/** A poll that failed in a way that may heal. */
export type TransientFailure = Extract<WatchEvent, { type: 'transient-failure' }>;

/** Polls that have not succeeded for `stallAfterMs`. */
export type Stalled = Extract<WatchEvent, { type: 'stalled' }>;

/** The first successful poll after a stall. */
export type Recovered = Extract<WatchEvent, { type: 'recovered' }>;
