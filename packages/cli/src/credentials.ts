import { Redactor } from '@vmtasks/core';
import { TASK_APIS, type ResolvedApi } from './apis/index.js';
import type { IOStreams } from './io.js';

type CredentialForms = ResolvedApi['credentials'];

/**
 * A redactor for every form in which the clients redact their credentials, made the way they
 * make theirs (each API file says its forms: Basic credentials with `user:password`, its base64
 * and `Basic …`; header values with what core finds in them, the token of `SIGN token="…"`, …),
 * each raw, JSON-escaped, URL-encoded or as HTML.
 */
export function credentialRedactor(forms: readonly CredentialForms[]): Redactor {
  return new Redactor(forms.flatMap((each) => each.values)).withHeaders(forms.flatMap((each) => each.headers));
}

/** The credentials the environment holds for every API, whether or not the command will use them. */
export function envCredentials(env: IOStreams['env']): CredentialForms[] {
  return TASK_APIS.map((api) => api.envCredentials(env));
}

/**
 * The redactor every byte `vmtasks` prints goes through, the last line of defence: made from the
 * environment at start, and replaced once flags are read by one that also knows the
 * configuration's (a `--velostrata-user` changes the Basic credential; a fleet config's secrets).
 * One redactor, not a chain: each compiles a large pattern the first time it runs.
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
