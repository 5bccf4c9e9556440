import type { Dispatcher } from 'undici';
import { ResponseTooLargeError } from '../errors.js';
import { AttemptFailure, dispatchSender, fetchSender, type Received, type Sender } from './attempt.js';
import type { InFlight } from './in-flight.js';
import { reuseAwarePool } from './stale-connection.js';
import type { FetchFunction } from './tls.js';
import { abortedError, type Call, callSummary, closedError } from './call.js';

/**
 * What puts one attempt on the wire: a keep-alive undici Pool for the one origin (or the user's
 * fetch), and a one-off connection for the stale-connection resend. undici is loaded with the
 * first request, not with this module: it is most of what importing a client costs (~70 of
 * ~120 ms), paid by programs that never send (the CLI's --help).
 */
export class Senders {
  /** Set once undici is loaded (at once for a user fetch that needs no pool). */
  #sender: Sender | undefined;
  #loading: Promise<Sender> | undefined;
  #pool: Dispatcher | undefined;
  /** Sends one attempt on a connection of its own: the resend after a stale keep-alive connection. */
  #fresh: Sender | undefined;
  readonly #create: () => Promise<Sender>;
  /** False when a user fetch without TLS settings sends everything: then no pool, and no Accept-Encoding added. */
  readonly usesPool: boolean;

  constructor(origin: string, maxResponseBytes: number, userFetch: FetchFunction | undefined, connect: object | undefined) {
    this.usesPool = !userFetch || connect !== undefined;
    if (!this.usesPool && userFetch) this.#sender = fetchSender(userFetch, undefined, maxResponseBytes);
    this.#create = async () => {
      const undici = await import('undici');
      const options = connect ? { connect } : {};
      const pool = reuseAwarePool(undici, origin, options);
      this.#pool = pool;
      if (userFetch) return fetchSender(userFetch, pool, maxResponseBytes);
      this.#fresh = async (exchange) => {
        const client = new undici.Client(origin, options);
        try {
          return await dispatchSender(client, maxResponseBytes)(exchange);
        } finally {
          void client.destroy().catch(() => undefined);
        }
      };
      return dispatchSender(pool, maxResponseBytes);
    };
  }

  /** Undefined once the sender exists (no await on the hot path); else its loading, which the first caller starts. */
  ready(): Promise<Sender> | undefined {
    if (this.#sender) return undefined;
    this.#loading ??= this.#create().then((sender) => (this.#sender = sender));
    return this.#loading;
  }

  /** Settles once a pool being created exists (or failed), so that `close()` can destroy it. */
  settled(): Promise<unknown> {
    return this.#loading ?? Promise.resolve();
  }

  destroy(): Promise<void> | undefined {
    return this.#pool?.destroy();
  }

  /**
   * The end of the pipeline: one attempt, tracked for `close()`. An abort, a close, and an
   * oversized body end the call here as typed errors; other failures go back up as
   * `AttemptFailure` for the resend and retry policies to judge.
   */
  attempt(inFlight: InFlight, closing: () => boolean, maxResponseBytes: number): (call: Call) => Promise<Received> {
    return async (call) => {
      const send = call.staleResend === 'next' && this.#fresh ? this.#fresh : (this.#sender as Sender);
      if (call.staleResend === 'next') call.staleResend = 'used';
      call.sent = true;
      const { method, url, headers, body, limitMs, signal } = call;
      try {
        return await inFlight.track(send({ method, url, headers, body, limitMs, signal, unsent: inFlight.unsent }));
      } catch (failure) {
        if (!(failure instanceof AttemptFailure)) throw failure;
        if (failure.kind === 'aborted') throw abortedError(call);
        if (failure.kind === 'closed' || (closing() && failure.kind === 'network')) throw closedError(call);
        if (failure.kind === 'too-large') {
          throw new ResponseTooLargeError(
            `${call.operation}: HTTP ${failure.status} response body is larger than maxResponseBytes (${maxResponseBytes} bytes, decoded); reading stopped there`,
            { ...callSummary(call), status: failure.status, limitBytes: maxResponseBytes },
          );
        }
        throw failure;
      }
    };
  }
}
