// TEMPORARY: the agreed shape of the watch API (issue 12, /work/notes/README.md) until
// @vmtasks/core exports it. Deleted when the real API lands.
export type TaskState = 'pending' | 'running' | 'blocked' | 'cancelling' | 'failing' | 'succeeded' | 'failed' | 'cancelled';
export const isTerminalTaskState = (state: TaskState): boolean => state === 'succeeded' || state === 'failed' || state === 'cancelled';
export interface TaskSnapshot {
  api: 'velostrata' | 'snapservice';
  id: string;
  kind?: string;
  target?: string;
  state: TaskState;
  progress?: number;
  message?: string;
  error?: string;
  startedAt?: string;
  endedAt?: string;
  user?: string;
}
export type WatchEvent =
  | { type: 'appeared'; snapshot: TaskSnapshot }
  | { type: 'changed'; snapshot: TaskSnapshot; previous: TaskSnapshot }
  | { type: 'finished'; snapshot: TaskSnapshot; previous?: TaskSnapshot }
  | { type: 'disappeared'; snapshot: TaskSnapshot }
  | { type: 'transient-failure'; error: Error; failures: number; retryInMs: number }
  | { type: 'polled'; count: number; at: string };
export interface PollOptions {
  signal?: AbortSignal;
  minIntervalMs?: number;
  maxIntervalMs?: number;
  maxWaitMs?: number;
  onProgress?(snapshot: TaskSnapshot): void;
  onTransientFailure?(notice: TransientFailure): void;
}
export type WaitOptions = PollOptions;
export type WatchOptions = PollOptions;
export type TransientFailure = Extract<WatchEvent, { type: 'transient-failure' }>;
