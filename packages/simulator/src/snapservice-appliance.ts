// The simulated snapservice appliance: GET /api/snapservice/tasks and /tasks/{task} with a session id or a
// SAML token; sessions created with HTTP Basic (or the SAML token), read, deleted, expiring when idle.
import type { IncomingMessage } from 'node:http';
import type { Clock } from './clock.js';
import { json, type Appliance, type SimResponse } from './http-server.js';
import { ListCache } from './list-cache.js';
import { PROTECTION_GROUP_SERVICE, DEFAULTS } from './defaults.js';
import type { Random } from './random.js';
import { matches, parseFilter } from './snapservice-filter.js';
import { message, snapserviceTimeline } from './snapservice-task.js';
import type { ListItem, VapiError, VapiErrorType, VapiErrorWithChallenge } from './spec-types.js';
import type { Timeline } from './timeline.js';
import type { Fault, SnapserviceTaskScript } from './types.js';

const TASKS_PATH = /^\/api\/snapservice\/tasks\/?$/;
const TASK_PATH = /^\/api\/snapservice\/tasks\/([^/]+)$/;
const SESSIONS_PATH = /^\/api\/snapservice\/sessions\/?$/;
const CHALLENGE = 'SIGN realm="snapservice",service="snapservice"';

interface Session {
  createdAt: number;
  lastAccessedAt: number;
  expired: boolean;
  user: string;
}

export class SnapserviceAppliance implements Appliance {
  readonly #timelines: Timeline<ListItem>[] = [];
  readonly #ids = new Set<string>();
  readonly #sessions = new Map<string, Session>();
  /** List answers by query string (see list-cache.ts). */
  readonly #lists = new ListCache<SimResponse>();
  #sessionId: string;
  #sessionCount = 0;
  #loginCount = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    firstSessionId: string | undefined,
    private readonly samlToken: string,
    private readonly sessionTtlMs: number,
    readonly login: { username: string; password: string },
  ) {
    this.#sessionId = this.#openSession(firstSessionId);
  }

  get sessionId(): string {
    return this.#sessionId;
  }

  get authorization(): string {
    return `SIGN token="${this.samlToken}"`;
  }

  expireSession(): void {
    for (const session of this.#sessions.values()) session.expired = true;
  }

  /** Requests still answered before the sessions expire (see `expireSessionAfter`). */
  #expiresAfter: number | undefined;

  expireSessionAfter(requests: number): void {
    if (!Number.isInteger(requests) || requests < 0)
      throw new RangeError(`expireSessionAfter: requests must be an integer ≥ 0, not ${requests}`);
    this.#expiresAfter = requests;
  }

  sessionCounts(): { created: number; live: number } {
    const now = this.clock.now();
    const live = [...this.#sessions.values()].filter((session) => !this.#lapsed(session, now)).length;
    return { created: this.#loginCount, live };
  }

  #lapsed(session: Session, now: number): boolean {
    return session.expired || now - session.lastAccessedAt >= this.sessionTtlMs;
  }

  renewSession(): string {
    this.#sessionId = this.#openSession(undefined);
    return this.#sessionId;
  }

  #openSession(id: string | undefined): string {
    this.#sessionCount++;
    const sessionId = id ?? `${DEFAULTS.snapserviceSessionPrefix}${this.#sessionCount}`;
    const now = this.clock.now();
    this.#sessions.set(sessionId, { createdAt: now, lastAccessedAt: now, expired: false, user: this.login.username });
    return sessionId;
  }

  /** Adds a task whose steps count from `start` (default now). */
  addTask(script: SnapserviceTaskScript, start = this.clock.now()): string {
    const service = script.service ?? PROTECTION_GROUP_SERVICE;
    const id = script.id ?? `${this.random.uuid()}:${service}`;
    if (this.#ids.has(id)) throw new TypeError(`a snapservice task ${id} exists already`);
    const operation = script.operation ?? 'snapshot';
    const timeline = snapserviceTimeline(
      {
        ...script,
        id,
        service,
        operation,
        user: script.user ?? 'VSPHERE.LOCAL\\Administrator',
        description: script.description ?? message(`${service}.${operation}`, `${operation} (${service})`),
      },
      start,
    );
    this.#ids.add(id);
    this.#timelines.push(timeline);
    this.#lists.clear();
    return id;
  }

  tasks(): ListItem[] {
    const now = this.clock.now();
    return this.#timelines
      .map((t) => t.view(now))
      .filter((view): view is ListItem => view !== null)
      .map((view) => structuredClone(view));
  }

  handle(request: IncomingMessage, url: URL): SimResponse {
    const one = TASK_PATH.exec(url.pathname);
    const sessions = SESSIONS_PATH.test(url.pathname);
    const allowed = sessions ? ['GET', 'POST', 'DELETE'] : one || TASKS_PATH.test(url.pathname) ? ['GET', 'HEAD'] : undefined;
    if (!allowed) return vapiError(404, 'NOT_FOUND', 'com.vmware.vapi.std.errors.not_found', 'Not found.');
    if (!allowed.includes(request.method ?? '')) {
      return {
        ...vapiError(405, 'OPERATION_NOT_FOUND', 'com.vmware.vapi.rest.method_not_allowed', 'Method {0} is not allowed.', [
          request.method ?? '',
        ]),
        headers: { allow: allowed.join(', ') },
      };
    }
    if (sessions && request.method === 'POST') return this.#createSession(request);
    if (this.#expiresAfter === 0) {
      this.#expiresAfter = undefined;
      this.expireSession();
    }
    const auth = this.#authenticate(request);
    if (auth !== 'ok') return unauthenticated(auth);
    if (this.#expiresAfter !== undefined) this.#expiresAfter--;
    if (sessions) return this.#session(request);
    if (one) return this.#task(decodeURIComponent(one[1]!));
    const now = this.clock.now();
    const cached = this.#lists.get(url.search, now);
    if (cached) return cached;
    const parsed = parseFilter(url.searchParams);
    if ('error' in parsed) return json(400, parsed.error);
    const items: string[] = [];
    // The answer holds until the first task, listed or not, moves to its next phase.
    let until = Number.POSITIVE_INFINITY;
    for (const timeline of this.#timelines) {
      const view = timeline.view(now);
      if (view && matches(parsed.filter, view)) items.push(timeline.json(now)!);
      until = Math.min(until, timeline.nextChange(now));
    }
    const response =
      items.length > DEFAULTS.maxListedTasks
        ? vapiError(500, 'RESOURCE_INACCESSIBLE', 'com.vmware.snapservice.tasks.too_many', 'More than {0} tasks match the filter.', [
            String(DEFAULTS.maxListedTasks),
          ])
        : { status: 200, body: `{"items":[${items.join(',')}]}` };
    this.#lists.set(url.search, now, until, response);
    return response;
  }

  faultResponse(fault: Exclude<Fault, { kind: 'slow' | 'reset' }>): SimResponse {
    switch (fault.kind) {
      case 'unauthenticated':
        return unauthenticated('invalid');
      case 'unavailable':
        return vapiError(503, 'SERVICE_UNAVAILABLE', 'com.vmware.snapservice.unavailable', 'Service {0} is unavailable.', [
          'com.vmware.snapservice.tasks',
        ]);
      case 'rate-limited': {
        const seconds = String(fault.retryAfterSeconds ?? 1);
        const response = vapiError(
          429,
          'RESOURCE_BUSY',
          'com.vmware.snapservice.too_many_requests',
          'Too many requests; retry after {0} seconds.',
          [seconds],
        );
        return { ...response, headers: { 'retry-after': seconds } };
      }
      case 'forbidden': {
        const body: VapiErrorWithChallenge = {
          error_type: 'UNAUTHORIZED',
          messages: [message('vapi.security.authorization.invalid', 'Unable to authorize user: the System.Read privilege is required.')],
          challenge: CHALLENGE,
        };
        return json(403, body);
      }
      case 'error':
        return vapiError(500, 'ERROR', 'com.vmware.snapservice.internal', 'An internal error occurred.');
    }
  }

  /** `GET /api/snapservice/tasks/{task}`: the task as listed now, or 404. */
  #task(id: string): SimResponse {
    const now = this.clock.now();
    const view = this.#timelines.find((timeline) => timeline.view(now)?.task === id)?.view(now);
    if (!view) return vapiError(404, 'NOT_FOUND', 'com.vmware.snapservice.tasks.not_found', 'Task {0} was not found.', [id]);
    return json(200, view.info);
  }

  /** `POST /api/snapservice/sessions`: the user's Basic credentials (or the SAML token) for a new token, a JSON string. */
  #createSession(request: IncomingMessage): SimResponse {
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const decoded = basic === undefined ? undefined : Buffer.from(basic, 'base64').toString('utf8');
    const saml = /^SIGN\s+token="([^"]*)"/i.exec(request.headers.authorization ?? '')?.[1];
    if (decoded !== `${this.login.username}:${this.login.password}` && saml !== this.samlToken) return unauthenticated('invalid');
    this.#loginCount++;
    const token = this.#openSession(`${this.random.uuid().replaceAll('-', '')}`);
    return json(201, token);
  }

  /** `GET` (the session's info) and `DELETE` (log out) of `/api/snapservice/sessions`. */
  #session(request: IncomingMessage): SimResponse {
    const id = request.headers['vmware-api-session-id'];
    const session = typeof id === 'string' ? this.#sessions.get(id) : undefined;
    if (!session || typeof id !== 'string') return unauthenticated('invalid'); // a SAML token has no session to read or end
    if (request.method === 'DELETE') {
      this.#sessions.delete(id);
      return { status: 204, body: '' };
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    return json(200, { user: session.user, created_time: iso(session.createdAt), last_accessed_time: iso(session.lastAccessedAt) });
  }

  badRequest(reason: string): SimResponse {
    return vapiError(400, 'INVALID_ARGUMENT', 'com.vmware.vapi.rest.badRequest', reason);
  }

  #authenticate(request: IncomingMessage): 'ok' | 'invalid' | 'expired' {
    const sessionId = request.headers['vmware-api-session-id'];
    if (typeof sessionId === 'string' && sessionId !== '') {
      const session = this.#sessions.get(sessionId);
      if (!session) return 'invalid';
      const now = this.clock.now();
      if (this.#lapsed(session, now)) return 'expired';
      session.lastAccessedAt = now; // any use keeps an idle-expiring session alive
      return 'ok';
    }
    const token = /^SIGN\s+token="([^"]*)"/i.exec(request.headers.authorization ?? '')?.[1];
    return token === this.samlToken ? 'ok' : 'invalid';
  }
}

function vapiError(status: number, errorType: VapiErrorType, id: string, defaultMessage: string, args: string[] = []): SimResponse {
  const body: VapiError = { error_type: errorType, messages: [message(id, defaultMessage, args)] };
  return json(status, body);
}

function unauthenticated(reason: 'invalid' | 'expired'): SimResponse {
  const body: VapiErrorWithChallenge = {
    error_type: 'UNAUTHENTICATED',
    messages: [
      reason === 'expired'
        ? message('vapi.security.authentication.expired', 'The session has expired; log in again.')
        : message('vapi.security.authentication.invalid', 'Unable to authenticate user'),
    ],
    challenge: CHALLENGE,
  };
  return json(401, body, { 'www-authenticate': CHALLENGE });
}
