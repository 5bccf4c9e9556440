// A snapservice session that outlives a long wait (govmomi's session/keepalive and cache, in small):
// log in on first use, log in again once when the appliance says the token is no longer good,
// one login at a time however many calls meet the same 401.

/** The calls a session is made of; each rejects with the client's typed errors. */
export interface SessionCalls {
  /** `POST /api/snapservice/sessions` with the user's credentials: a new token. */
  create(): Promise<string>;
  /** `DELETE /api/snapservice/sessions` with `token`. */
  delete(token: string): Promise<void>;
}

export class Session {
  readonly #calls: SessionCalls;
  #token: string | undefined;
  // The login in flight: every caller that needs a token meanwhile waits for this one.
  #login: Promise<string> | undefined;

  constructor(calls: SessionCalls) {
    this.#calls = calls;
  }

  /** The current token, logging in first when there is none. */
  token(): Promise<string> {
    if (this.#token !== undefined) return Promise.resolve(this.#token);
    return this.login();
  }

  /** Logs in now (a new token), sharing a login already in flight. */
  login(): Promise<string> {
    this.#login ??= this.#calls.create().then(
      (token) => {
        this.#token = token;
        this.#login = undefined;
        return token;
      },
      (error: unknown) => {
        this.#login = undefined;
        throw error;
      },
    );
    return this.#login;
  }

  /**
   * A token to repeat a call with after `rejected` met a 401: a new login when `rejected` is still
   * the current token, else the token another caller's renewal already got.
   */
  renew(rejected: string): Promise<string> {
    if (this.#login) return this.#login;
    if (this.#token !== rejected) return this.token();
    this.#token = undefined;
    return this.login();
  }

  /** Logs out when logged in; the next call logs in again. */
  async logout(): Promise<void> {
    const token = this.#token ?? (await this.#login?.catch(() => undefined));
    this.#token = undefined;
    if (token !== undefined) await this.#calls.delete(token);
  }
}
