/** The exit statuses `vmtasks` documents; scripts and CI jobs branch on them. */
export const ExitCode = {
  ok: 0,
  /** A task failed or was cancelled (or its outcome is unknown). */
  taskFailed: 1,
  /** Bad flags, arguments or configuration. */
  usage: 2,
  /** The appliance refused the credentials (HTTP 401/403). */
  credentials: 3,
  /** An appliance could not be reached: no HTTP answer (refused, DNS, timeout, TLS), or 502/503/504. */
  unreachable: 4,
  /** The appliance answered outside its API (not JSON, or fields of the wrong type). */
  badAnswer: 5,
  /** `--timeout` ran out (the convention of coreutils' `timeout`). */
  timeout: 124,
  /** Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** SIGTERM (128 + SIGTERM). */
  terminated: 143,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem with how `vmtasks` was called or configured: exit 2 with a line that says what to do. */
export class UsageError extends Error {
  override name = 'UsageError';
}
