import type { Dispatcher } from 'undici';

/**
 * TLS settings for appliances that present certificates a default Node.js install does not trust.
 * Prefer `ca`; `rejectUnauthorized: false` turns verification off entirely and is only for labs.
 */
export interface TlsOptions {
  /** Extra CA certificate(s), PEM, to trust for this client only. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Client certificate and key, PEM, for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Set to false, explicitly, to accept any certificate (self-signed, expired, wrong host). Default true. */
  rejectUnauthorized?: boolean;
  /** Expected server name, when it differs from the URL's host. */
  servername?: string;
}

export interface TlsFetch {
  fetch: FetchFunction;
  dispatcher: Dispatcher;
}

/**
 * The fetch signature the clients accept: the global one, undici's, or any compatible function.
 * With `tls` set, `init` also carries an undici `dispatcher`.
 */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** An undici Agent with the given TLS settings, and undici's own fetch to use it with. */
export async function createTlsFetch(tls: TlsOptions): Promise<TlsFetch> {
  // Loaded only when a client asks for TLS settings; the global fetch serves everyone else.
  const undici = await import('undici');
  const dispatcher = new undici.Agent({
    connect: {
      ca: tls.ca === undefined ? undefined : Array.isArray(tls.ca) ? [...tls.ca] : (tls.ca as string | Buffer),
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
      servername: tls.servername,
    },
  });
  // undici's fetch and the global one are the same API with separately declared types.
  const fetch: FetchFunction = async (input, init) => {
    const response = await undici.fetch(input, init as Parameters<typeof undici.fetch>[1]);
    return response as unknown as Response;
  };
  return { fetch, dispatcher };
}
