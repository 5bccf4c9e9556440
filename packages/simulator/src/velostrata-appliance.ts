// The simulated Velostrata Manager, with Basic auth: GET /tasks (one page of active tasks),
// POST /tasks (every task, paged and filtered), GET and DELETE /tasks/{taskId} (look up, cancel).
import type { IncomingMessage } from 'node:http';
import type { Clock } from './clock.js';
import { json, type Appliance, type SimResponse } from './http-server.js';
import type { ErrorInfo, TaskDescription, TaskDescriptionPage } from './spec-types.js';
import type { Timeline } from './timeline.js';
import type { Fault, VelostrataTaskScript } from './types.js';
import { filterMatcher, parsePageRequest } from './velostrata-filter.js';
import { isTerminalState, velostrataTimeline } from './velostrata-task.js';

const TASKS_PATH = /^\/velostrata\/api\/v4[0-2]\/tasks\/?$/;
const TASK_PATH = /^\/velostrata\/api\/v4[0-2]\/tasks\/([^/]+)$/;
/** How long a cancellation takes: `Cancelling` for this long, then `Cancelled`. */
export const CANCEL_MS = 5_000;
/** The page size when a page request leaves it to the manager (`size` 0 or absent). */
export const DEFAULT_PAGE_SIZE = 100;

export class VelostrataAppliance implements Appliance {
  readonly #timelines: Timeline<TaskDescription>[] = [];
  readonly #byId = new Map<string, Timeline<TaskDescription>>();
  readonly #ids = new Set<string>();
  #nextTask = 1001;
  #nextVm = 1;

  constructor(
    private readonly clock: Clock,
    readonly username: string,
    readonly password: string,
    private readonly retentionMs: number,
  ) {}

  newTaskId(): string {
    while (this.#ids.has(`task-${this.#nextTask}`)) this.#nextTask++;
    return `task-${this.#nextTask++}`;
  }

  newVmId(): string {
    return `vm-${this.#nextVm++}`;
  }

  /** Adds a task whose steps count from `start` (default now). */
  addTask(script: VelostrataTaskScript, start = this.clock.now()): string {
    const id = script.id ?? this.newTaskId();
    if (this.#ids.has(id)) throw new TypeError(`a Velostrata task ${id} exists already`);
    const entity = script.entity ?? { value: this.newVmId(), _type: 'VmId' as const };
    const timeline = velostrataTimeline({ ...script, id, entity }, start, this.retentionMs);
    this.#ids.add(id);
    this.#timelines.push(timeline);
    this.#byId.set(id, timeline);
    return id;
  }

  tasks(): TaskDescription[] {
    const now = this.clock.now();
    return this.#timelines
      .map((t) => t.view(now))
      .filter((view): view is TaskDescription => view !== null)
      .map((view) => structuredClone(view));
  }

  handle(request: IncomingMessage, url: URL, body: string): SimResponse {
    const one = TASK_PATH.exec(url.pathname);
    const allowed = one ? ['GET', 'HEAD', 'DELETE'] : TASKS_PATH.test(url.pathname) ? ['GET', 'HEAD', 'POST'] : undefined;
    if (!allowed) return this.#error(404, 'NOT_FOUND', url, `No resource at ${url.pathname}`);
    if (!allowed.includes(request.method ?? '')) {
      return {
        ...this.#error(405, 'METHOD_NOT_ALLOWED', url, `Request method '${request.method}' not supported`),
        headers: { allow: allowed.join(', ') },
      };
    }
    if (!this.#authorized(request.headers.authorization)) return this.faultResponse({ kind: 'unauthenticated' }, url);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      return request.method === 'DELETE' ? this.#cancel(id, url) : this.#task(id, url);
    }
    return request.method === 'POST' ? this.#history(body, url) : this.#page();
  }

  /** `GET /tasks/{taskId}`: the task as it is, or as it ended (history); 404 before it began or when unknown. */
  #task(id: string, url: URL): SimResponse {
    const task = this.#byId.get(id)?.latest(this.clock.now());
    return task ? json(200, task) : this.#error(404, 'NOT_FOUND', url, `Task ${id} was not found`);
  }

  /**
   * `DELETE /tasks/{taskId}`: a task still running moves to `Cancelling` now and `Cancelled`
   * `CANCEL_MS` later (202). One that already ended answers 204 and stays as it ended, as a
   * manager has nothing left to cancel; one already cancelling answers 202 again.
   */
  #cancel(id: string, url: URL): SimResponse {
    const now = this.clock.now();
    const timeline = this.#byId.get(id);
    const task = timeline?.latest(now);
    if (!timeline || !task) return this.#error(404, 'NOT_FOUND', url, `Task ${id} was not found`);
    if (task.state !== undefined && isTerminalState(task.state)) return { status: 204, body: '' };
    if (task.state !== 'Cancelling') {
      const ended = new Date(now + CANCEL_MS).toISOString();
      timeline.replaceAfter(now, [
        { at: now, view: { ...task, state: 'Cancelling' } },
        { at: now + CANCEL_MS, view: { ...task, state: 'Cancelled', endTime: ended } },
        { at: now + CANCEL_MS + this.retentionMs, view: null },
      ]);
    }
    return { status: 202, body: '' };
  }

  /** `POST /tasks`: every task that has begun, finished ones included, filtered, one page of it. */
  #history(body: string, url: URL): SimResponse {
    const request = parsePageRequest(body);
    if (typeof request === 'string') return this.#error(400, 'BAD_REQUEST', url, request);
    const now = this.clock.now();
    const matching: TaskDescription[] = [];
    const matches = filterMatcher(request.filter);
    for (const timeline of this.#timelines) {
      const task = timeline.latest(now);
      if (task && matches(task)) matching.push(task);
    }
    const size = request.size || DEFAULT_PAGE_SIZE;
    const number = request.page ?? 0;
    const content = matching.slice(number * size, (number + 1) * size);
    const page: TaskDescriptionPage = {
      number,
      numberOfElements: content.length,
      totalElements: matching.length,
      totalPages: Math.ceil(matching.length / size),
      _type: 'TaskDescriptionPage',
      content,
    };
    return json(200, page);
  }

  faultResponse(fault: Exclude<Fault, { kind: 'slow' | 'reset' }>, url: URL): SimResponse {
    switch (fault.kind) {
      case 'unauthenticated':
        return {
          ...this.#error(401, 'UNAUTHORIZED', url, 'Full authentication is required to access this resource'),
          headers: { 'www-authenticate': 'Basic realm="Velostrata"' },
        };
      case 'unavailable':
        return this.#error(503, 'SERVICE_UNAVAILABLE', url, 'The management service is not available');
      case 'rate-limited':
        return {
          ...this.#error(429, 'TOO_MANY_REQUESTS', url, 'Too many requests'),
          headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
        };
      case 'forbidden':
        return this.#error(403, 'FORBIDDEN', url, 'Access is denied');
      case 'error':
        return this.#error(500, 'INTERNAL_ERROR', url, 'The management service is not available');
    }
  }

  badRequest(reason: string): SimResponse {
    const body: ErrorInfo = { errorCode: 'BAD_REQUEST', message: reason };
    return json(400, body);
  }

  #authorized(header: string | undefined): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && decoded.slice(0, colon) === this.username && decoded.slice(colon + 1) === this.password;
  }

  /** One page with every active task; the page fields agree with the content. */
  #page(): SimResponse {
    const now = this.clock.now();
    const content: string[] = [];
    for (const timeline of this.#timelines) {
      const text = timeline.json(now);
      if (text !== null) content.push(text);
    }
    const page: Omit<TaskDescriptionPage, 'content'> = {
      number: 0,
      numberOfElements: content.length,
      totalElements: content.length,
      totalPages: content.length === 0 ? 0 : 1,
      _type: 'TaskDescriptionPage',
    };
    return { status: 200, body: `${JSON.stringify(page).slice(0, -1)},"content":[${content.join(',')}]}` };
  }

  #error(status: number, errorCode: string, url: URL, message: string): SimResponse {
    const body: ErrorInfo = { errorCode, url: url.pathname, message };
    return json(status, body);
  }
}
