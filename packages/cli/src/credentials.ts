import { basicAuthForms, Redactor } from '@vmtasks/core';
import type { SnapserviceConfig, VelostrataConfig } from './config.js';
import type { IOStreams } from './io.js';

/**
 * A redactor for every form in which the clients redact their credentials, made the way they
 * make theirs: the Velostrata password and the snapservice login with their Basic forms (`user:password`,
 * its base64, `Basic …`), the snapservice session id and Authorization value with what core finds in them
 * (the token of `SIGN token="…"`, …), each raw, JSON-escaped, URL-encoded or as HTML.
 */
export function credentialRedactor(connections: {
  velostrata?: Pick<VelostrataConfig, 'username' | 'password'> | undefined;
  snapservice?: Pick<SnapserviceConfig, 'sessionId' | 'authorization' | 'login'> | undefined;
}): Redactor {
  const { velostrata, snapservice } = connections;
  const base = new Redactor([
    ...(velostrata ? basicAuthForms(velostrata.username, velostrata.password) : []),
    ...(snapservice?.login ? basicAuthForms(snapservice.login.username, snapservice.login.password) : []),
    snapservice?.sessionId,
    snapservice?.authorization,
  ]);
  const headers: [string, string][] = [];
  if (snapservice?.sessionId) headers.push(['vmware-api-session-id', snapservice.sessionId]);
  if (snapservice?.authorization) headers.push(['authorization', snapservice.authorization]);
  return base.withHeaders(headers);
}

/** The credentials the environment holds, whether or not the command will use them. */
export function envCredentials(env: IOStreams['env']): Parameters<typeof credentialRedactor>[0] {
  const password = env['VELOSTRATA_PASSWORD'];
  return {
    velostrata: password ? { username: env['VELOSTRATA_USERNAME'] || 'apiuser', password } : undefined,
    snapservice: {
      sessionId: env['SNAPSERVICE_SESSION_ID'] || undefined,
      authorization: env['SNAPSERVICE_AUTHORIZATION'] || undefined,
      login:
        env['SNAPSERVICE_USERNAME'] && env['SNAPSERVICE_PASSWORD']
          ? { username: env['SNAPSERVICE_USERNAME'], password: env['SNAPSERVICE_PASSWORD'] }
          : undefined,
    },
  };
}

/**
 * The redactor every byte `vmtasks` prints goes through, the last line of defence: made from the
 * environment at start, and replaced once flags are read by one that also knows the
 * configuration's (a `--velostrata-user` changes the Basic credential). One redactor, not a
 * chain: each compiles a large pattern the first time it runs.
 */
export class PrintedSecrets {
  #redactor: Redactor;

  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  use(redactor: Redactor): void {
    this.#redactor = redactor;
  }

  text(value: string): string {
    return this.#redactor.text(value);
  }
}
