import { X509Certificate } from 'node:crypto';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import { ConfigurationError } from '../errors.js';

/**
 * TLS settings for appliances that present certificates a default Node.js install does not trust.
 * Prefer `ca`; `rejectUnauthorized: false` turns verification off entirely and is only for labs.
 */
export interface TlsOptions {
  /** Extra CA certificate(s), PEM, to trust for this client only. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** Client certificate and key, PEM, for mutual TLS. */
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  /** Set to false, explicitly, to accept any certificate (self-signed, expired, wrong host). Default true. */
  rejectUnauthorized?: boolean | undefined;
  /** Expected server name, when it differs from the URL's host. */
  servername?: string | undefined;
}

/**
 * The fetch signature the clients accept: the global one, undici's, or any compatible function.
 * It is called with `redirect: 'manual'` (the client follows same-origin redirects itself) and,
 * with `tls` set, an undici `dispatcher` in `init`.
 */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * Checks TLS settings at construction and turns them into socket options: every CA must parse,
 * the client certificate and key must load, and only an https `baseUrl` can use them.
 */
export function tlsConnectOptions(tls: TlsOptions, protocol: string): ConnectionOptions {
  if (typeof tls !== 'object' || tls === null) throw new ConfigurationError('tls', 'tls must be an object');
  if (protocol !== 'https:') throw new ConfigurationError('tls', 'tls settings need an https: baseUrl; an http: URL never uses them');
  const cas =
    tls.ca === undefined ? [] : Array.isArray(tls.ca) ? [...(tls.ca as ReadonlyArray<string | Buffer>)] : [tls.ca as string | Buffer];
  cas.forEach((ca, i) => {
    const option = Array.isArray(tls.ca) ? `tls.ca[${i}]` : 'tls.ca';
    const pem = typeof ca === 'string' ? ca : Buffer.isBuffer(ca) ? ca.toString('utf8') : undefined;
    const blocks = pem?.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) throw new ConfigurationError(option, `${option} must hold PEM certificates (-----BEGIN CERTIFICATE-----)`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch {
        throw new ConfigurationError(option, `${option} holds a certificate that does not parse`);
      }
    }
  });
  if (tls.rejectUnauthorized !== undefined && typeof tls.rejectUnauthorized !== 'boolean') {
    throw new ConfigurationError('tls.rejectUnauthorized', 'tls.rejectUnauthorized must be a boolean');
  }
  if (tls.servername !== undefined && (typeof tls.servername !== 'string' || tls.servername === '')) {
    throw new ConfigurationError('tls.servername', 'tls.servername must be a non-empty host name');
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new ConfigurationError(tls.cert === undefined ? 'tls.cert' : 'tls.key', 'tls.cert and tls.key go together, for mutual TLS');
  }
  const options: ConnectionOptions = {
    ca: cas.length > 0 ? cas : undefined,
    cert: tls.cert,
    key: tls.key,
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    servername: tls.servername,
  };
  if (tls.cert !== undefined) {
    try {
      createSecureContext({ cert: tls.cert, key: tls.key });
    } catch {
      // The key is a secret: say which option, never what OpenSSL quoted from it.
      throw new ConfigurationError('tls.cert', 'tls.cert and tls.key must be a PEM certificate and its private key');
    }
  }
  return options;
}
