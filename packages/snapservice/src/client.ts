import createClient, { type Client } from 'openapi-fetch';
import {
  checkedQuerySerializer,
  ConfigurationError,
  Redactor,
  requireBaseUrl,
  requireCredential,
  requireHeaders,
  requireOneCredential,
  requireOptions,
  safeUrl,
  Transport,
  type CallOptions,
  type TransportOptions,
} from '@vmtasks/core';
import { SnapserviceError } from './error.js';
import type { paths } from './generated/openapi.js';
import type { ListResult, SessionInfo, TaskFilter, TaskInfo } from './model.js';
import { LIST_TASKS_PARAMETERS, snapserviceOperations } from './operations.js';
import { Session } from './session.js';
import { taskWatching, type TaskWatching } from './watch.js';

export interface SnapserviceClientOptions extends TransportOptions {
  /** The host root, e.g. `https://snap.example.com`. */
  baseUrl: string;
  /** Log in with these (HTTP Basic, `POST /api/snapservice/sessions`) on first use, and again when the session expires. */
  username?: string | undefined;
  password?: string | undefined;
  /** A session token you minted yourself, sent as `vmware-api-session-id` (never renewed). */
  sessionId?: string | undefined;
  /** Sent verbatim as `Authorization`, e.g. `SIGN token="…"` (older releases). */
  authorization?: string | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** How long `close()` gives the logout: a dead appliance must not hold a program's exit. */
export const LOGOUT_TIMEOUT_MS = 5_000;

export interface SnapserviceClient extends TaskWatching {
  /**
   * Lists at most 1000 tasks matching `filter` (`GET /api/snapservice/tasks`). A filter without
   * `tasks` or `services` rejects with `InvalidRequestError` before anything is sent.
   */
  listTasks(filter: TaskFilter, options?: CallOptions): Promise<ListResult>;
  /** One task (`GET /api/snapservice/tasks/{task}`); an unknown id is a 404 `SnapserviceError` (`NOT_FOUND`). */
  getTask(taskId: string, options?: CallOptions): Promise<TaskInfo>;
  /** Logs in now (with `username`/`password`) unless already logged in. Calls log in by themselves; this is for failing early. */
  login(options?: CallOptions): Promise<void>;
  /** Ends the session (`DELETE /api/snapservice/sessions`). With `username`/`password`, the next call logs in again. */
  logout(options?: CallOptions): Promise<void>;
  /** The current session: its user, when it was created and last used. */
  getSession(options?: CallOptions): Promise<SessionInfo>;
  /**
   * The typed openapi-fetch client, with the same auth, timeouts and retries. It sends what it is
   * given, rule-breaking filters included (to see what a server answers to them). With
   * `username`/`password` it sends the current session token, but cannot log in again on a 401
   * by itself (openapi-fetch cannot re-send from a middleware): call `login()` and retry.
   */
  readonly raw: Client<paths>;
  /**
   * Logs out of a session the client opened (within `LOGOUT_TIMEOUT_MS`; a failure is ignored),
   * then releases the sockets once in-flight calls end. Idempotent; later calls reject with
   * `ClientClosedError`.
   */
  close(): Promise<void>;
}

const SESSION_HEADER = 'vmware-api-session-id';

// The ways to authenticate; a client needs at least one (`username` comes with `password`).
const CREDENTIAL_OPTIONS = ['sessionId', 'authorization', 'username'] as const satisfies readonly (keyof SnapserviceClientOptions)[];

export function createSnapserviceClient(options: SnapserviceClientOptions): SnapserviceClient {
  requireOptions(options, 'createSnapserviceClient', "{ baseUrl, username: '…', password: '…' }");
  const baseUrl = requireBaseUrl(options.baseUrl, 'https://snap.example.com');
  requireOneCredential(
    options as unknown as Record<string, unknown>,
    CREDENTIAL_OPTIONS,
    'the vmware-api-session-id of a session, the Authorization header value older releases take, or a user name and password to log in with',
  );
  const auth: Record<string, string> = {};
  if (options.sessionId !== undefined)
    auth[SESSION_HEADER] = requireCredential(options.sessionId, 'sessionId', 'the vmware-api-session-id', true);
  if (options.authorization !== undefined)
    auth['Authorization'] = requireCredential(options.authorization, 'authorization', 'the Authorization header value', true);
  const login = loginCredentials(options);
  const userHeaders = requireHeaders(options.headers);
  const transport = new Transport({
    ...options,
    baseUrl,
    redactor: (login
      ? Redactor.forBasicAuth(login.username, login.password, [options.sessionId, options.authorization])
      : new Redactor([options.sessionId, options.authorization])
    ).withHeaders({
      ...userHeaders,
      ...auth,
    }),
  });
  const headers = { ...userHeaders, Accept: 'application/json', ...auth };
  const operations = snapserviceOperations(transport, baseUrl);
  const session = login
    ? new Session({
        create: () => operations.createSession({ ...headers, Authorization: login.basic }),
        delete: async (token) => {
          await operations.deleteSession({ ...headers, [SESSION_HEADER]: token }, { timeoutMs: LOGOUT_TIMEOUT_MS });
        },
      })
    : undefined;

  /** Sends with the session token; on a 401, logs in again once (shared with every call that met it) and sends again. */
  async function authorized<T>(send: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    if (!session) return send(headers);
    const token = await session.token();
    try {
      return await send({ ...headers, [SESSION_HEADER]: token });
    } catch (error) {
      if (!(error instanceof SnapserviceError && error.status === 401)) throw error;
      return send({ ...headers, [SESSION_HEADER]: await session.renew(token) });
    }
  }

  const raw = createClient<paths>({
    baseUrl,
    fetch: transport.fetchFor(),
    querySerializer: checkedQuerySerializer(
      operations.querySerializer,
      { operation: 'raw', method: 'GET', url: transport.origin },
      LIST_TASKS_PARAMETERS,
    ),
    headers,
  });
  if (session) raw.use({ onRequest: async ({ request }) => void request.headers.set(SESSION_HEADER, await session.token()) });

  const list = (filter: TaskFilter, call?: CallOptions): Promise<ListResult> => authorized((h) => operations.listTasks(filter, h, call));
  const getTask = (taskId: string, call?: CallOptions): Promise<TaskInfo> => authorized((h) => operations.getTask(taskId, h, call));
  let closed: Promise<void> | undefined;

  return {
    raw: transport.guardRaw(raw),
    listTasks: list,
    getTask,
    login: async () => {
      if (!session) throw new ConfigurationError('username', 'login() needs the username and password options');
      await session.token();
    },
    logout: async (call) => {
      if (session) await session.logout();
      else await operations.deleteSession(headers, call);
    },
    getSession: (call) => authorized((h) => operations.getSession(h, call)),
    ...taskWatching({ listTasks: list, getTask, querySerializer: operations.querySerializer }, safeUrl(operations.tasksUrl), transport),
    close: () => {
      closed ??= (async () => {
        await session?.logout().catch(() => undefined);
        await transport.close();
      })();
      return closed;
    },
  };
}

/** `username` and `password` when both are given (one without the other is a mistake worth naming). */
function loginCredentials(options: SnapserviceClientOptions): { username: string; password: string; basic: string } | undefined {
  if (options.username === undefined && options.password === undefined) return undefined;
  const username = requireCredential(options.username, 'username', 'the user to log in as');
  const password = requireCredential(options.password, 'password', "the user's password");
  if (username.includes(':')) throw new ConfigurationError('username', 'username must not contain ":" (Basic authentication)');
  return { username, password, basic: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}
