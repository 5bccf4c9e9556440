// The simulated Velostrata Manager: GET /velostrata/api/v4x/tasks with Basic auth, one page of active tasks.
import type { IncomingMessage } from 'node:http';
import type { Clock } from './clock.js';
import { json, type Appliance, type SimResponse } from './http-server.js';
import type { ErrorInfo, TaskDescription, TaskDescriptionPage } from './spec-types.js';
import type { Timeline } from './timeline.js';
import type { Fault, VelostrataTaskScript } from './types.js';
import { velostrataTimeline } from './velostrata-task.js';

const TASKS_PATH = /^\/velostrata\/api\/v4[0-2]\/tasks\/?$/;

export class VelostrataAppliance implements Appliance {
  readonly #timelines: Timeline<TaskDescription>[] = [];
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
    return id;
  }

  tasks(): TaskDescription[] {
    const now = this.clock.now();
    return this.#timelines
      .map((t) => t.view(now))
      .filter((view): view is TaskDescription => view !== null)
      .map((view) => structuredClone(view));
  }

  handle(request: IncomingMessage, url: URL): SimResponse {
    if (!TASKS_PATH.test(url.pathname)) return this.#error(404, 'NOT_FOUND', url, `No resource at ${url.pathname}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return {
        ...this.#error(405, 'METHOD_NOT_ALLOWED', url, `Request method '${request.method}' not supported`),
        headers: { allow: 'GET' },
      };
    }
    if (!this.#authorized(request.headers.authorization)) return this.faultResponse({ kind: 'unauthenticated' }, url);
    return this.#page();
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
