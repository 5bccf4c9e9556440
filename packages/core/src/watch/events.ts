import type { VmtasksError } from '../errors.js';
import type { TaskSnapshot } from './snapshot.js';

/**
 * What a watch reports, discriminated on `type`. `Item` is the client's own typed task
 * (snapservice `ListItem`, Velostrata `TaskDescription`), carried beside its snapshot.
 *
 * Each transition is reported once: a task is first seen as `appeared` (not terminal) or
 * `finished` (already terminal); then `changed` for any change that leaves it non-terminal,
 * `finished` when it reaches a terminal state (never also `changed`), and `disappeared` when it
 * leaves the list. Each successful poll ends with one `polled`.
 */
export type WatchEvent<Item = unknown> =
  | { type: 'appeared'; snapshot: TaskSnapshot; item: Item }
  | { type: 'changed'; snapshot: TaskSnapshot; previous: TaskSnapshot; item: Item }
  /** `previous` is undefined when the task was already terminal when first seen. */
  | { type: 'finished'; snapshot: TaskSnapshot; previous: TaskSnapshot | undefined; item: Item }
  /** `snapshot` and `item` as last seen. */
  | { type: 'disappeared'; snapshot: TaskSnapshot; item: Item }
  /** A poll failed in a way that may heal; the next one comes in `retryInMs`. */
  | { type: 'transient-failure'; error: VmtasksError; failures: number; retryInMs: number }
  /** `count` tasks were listed at `at` (ISO 8601, the watch's clock). */
  | { type: 'polled'; count: number; at: string };

/** The events about one task. */
export type TaskEvent<Item = unknown> = Extract<WatchEvent<Item>, { snapshot: TaskSnapshot }>;

/** A poll that failed in a way that may heal. */
export type TransientFailure = Extract<WatchEvent, { type: 'transient-failure' }>;
