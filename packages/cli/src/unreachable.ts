import { ApiError, TransportError } from '@vmtasks/core';
import { troubleText } from './render/events.js';

/** What a gateway in front of an appliance answers when the service behind it is down. */
const GATEWAY_STATUSES: readonly number[] = [502, 503, 504];

/**
 * Whether a client's error means the appliance could not be reached: no HTTP answer at all
 * (refused, reset, DNS, timeout, TLS), or a gateway status (502/503/504) after the client's
 * retries. Not a refused credential, a 4xx, or a malformed answer: those came from the appliance.
 */
export function isUnreachable(error: unknown): boolean {
  return error instanceof TransportError || (error instanceof ApiError && GATEWAY_STATUSES.includes(error.status));
}

/** An appliance could not be reached (exit 4): `cannot reach velostrata at mgr.example.com: …` (the appliance's name in a fleet). */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  /** The transport's error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …), for advice on what to do. */
  readonly code: string | undefined;

  constructor(appliance: string, host: string, cause: TransportError | ApiError) {
    super(`cannot reach ${appliance} at ${host}: ${troubleText(cause)}`, { cause });
    this.code = cause instanceof TransportError ? cause.code : undefined;
  }
}

/** `error` as an `UnreachableError` naming the API when it says the appliance could not be reached; otherwise `error` itself. */
export function unreachableOr(api: { appliance: string; origin: string }, error: unknown): unknown {
  return isUnreachable(error) ? new UnreachableError(api.appliance, api.origin, error as TransportError | ApiError) : error;
}
