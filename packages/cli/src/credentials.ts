import { Redactor } from '@vmtasks/core';
import type { SnapserviceConfig, VelostrataConfig } from './config.js';

/**
 * A redactor for every form in which the clients redact their credentials, made the way they
 * make theirs: the Velostrata password with its Basic forms (`user:password`, its base64,
 * `Basic …`), the snapservice session id and Authorization value with what core finds in them
 * (the token of `SIGN token="…"`, …), each raw, JSON-escaped, URL-encoded or as HTML.
 */
export function credentialRedactor(connections: {
  velostrata?: Pick<VelostrataConfig, 'username' | 'password'> | undefined;
  snapservice?: Pick<SnapserviceConfig, 'sessionId' | 'authorization'> | undefined;
}): Redactor {
  const { velostrata, snapservice } = connections;
  const snapserviceSecrets = [snapservice?.sessionId, snapservice?.authorization];
  const base = velostrata
    ? Redactor.forBasicAuth(velostrata.username, velostrata.password, snapserviceSecrets)
    : new Redactor(snapserviceSecrets);
  const headers: [string, string][] = [];
  if (snapservice?.sessionId) headers.push(['vmware-api-session-id', snapservice.sessionId]);
  if (snapservice?.authorization) headers.push(['authorization', snapservice.authorization]);
  return base.withHeaders(headers);
}

/**
 * The redactor every byte `vmtasks` prints goes through, the last line of defence: made from the
 * environment at start, and completed by the configuration's own once flags are read (a
 * `--velostrata-user` changes the Basic credential).
 */
export class PrintedSecrets {
  readonly #redactors: Redactor[];

  constructor(redactor: Redactor) {
    this.#redactors = [redactor];
  }

  add(redactor: Redactor): void {
    this.#redactors.push(redactor);
  }

  text(value: string): string {
    return this.#redactors.reduce((text, redactor) => redactor.text(text), value);
  }
}
