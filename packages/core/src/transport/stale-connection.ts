import type { Dispatcher, Pool } from 'undici';
import { failureCode } from './failure.js';

// A keep-alive connection the server closed while idle (its idle timeout, often 5 s, raced the
// pool's reuse) fails the request written to it in one of these ways, before any response.
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

// Dispatch options of requests handed to a connection that had already carried a request.
const onReusedConnection = new WeakSet<object>();

/**
 * True when a request failed the way a request written to a stale keep-alive connection does:
 * reset or closed before any response, on a connection that had served before. Such a request
 * never reached the application; an idempotent one is sent again, at once, on a fresh connection.
 */
export function metStaleConnection(dispatchOptions: object, error: unknown, responseStarted: boolean): boolean {
  const code = failureCode(error);
  return !responseStarted && code !== undefined && STALE_CONNECTION_CODES.has(code) && onReusedConnection.has(dispatchOptions);
}

type Undici = typeof import('undici');

/**
 * A keep-alive Pool whose connections note which requests they were given on a reused socket
 * (`metStaleConnection` reads it). undici itself honours a server's `Keep-Alive: timeout=N`
 * (closing the socket `keepAliveTimeoutThreshold`, 2 s, before the server would) and closes
 * idle sockets after `keepAliveTimeout` (4 s) when the server says nothing; a server that closes
 * sooner without saying so, or a close racing the reuse, is what the stale-connection resend covers.
 */
export function reuseAwarePool(undici: Undici, origin: string, options: Pool.Options): Dispatcher {
  class ReuseAwareClient extends undici.Client {
    #connected = false;
    constructor(url: string | URL, clientOptions: object) {
      super(url, clientOptions);
      this.on('connect', () => (this.#connected = true));
      this.on('disconnect', () => (this.#connected = false));
    }

    // The Pool hands a request only to a client with nothing running: one already connected
    // writes it on a socket that has carried an earlier request.
    override dispatch(dispatchOptions: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      if (this.#connected) onReusedConnection.add(dispatchOptions);
      return super.dispatch(dispatchOptions, handler);
    }
  }
  return new undici.Pool(origin, { ...options, factory: (url, clientOptions) => new ReuseAwareClient(url, clientOptions) });
}
