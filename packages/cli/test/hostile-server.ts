import { sendJson, startTestServer, type TestServer } from '@vmtasks/testkit';
import { afterEach } from 'vitest';

export const PASSWORD = 'subscription-secret-2026';
/** The Basic credential vmtasks sends, as a server may echo it. */
export const BASIC = Buffer.from(`apiuser:${PASSWORD}`).toString('base64');

/** What a server answers to the n-th request (0-based): a status and a JSON body. */
export type Answer = (request: number) => { status?: number; body: unknown };

/** A Velostrata task as the API lists it; `fields` override the defaults. */
export function velostrataTask(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: { value: 'task-1', _type: 'TaskId' },
    taskType: 'FullMigration',
    entity: { value: 'vm-1', _type: 'VmId' },
    state: 'Running',
    progress: 40,
    startTime: new Date(Date.now() - 60_000).toISOString(),
    ...fields,
  };
}

export const page = (...content: Record<string, unknown>[]): { body: unknown } => ({
  body: { _type: 'TaskDescriptionPage', content },
});

/**
 * For a test file: `serve(answer)` starts a Velostrata Manager on 127.0.0.1 that answers
 * `GET …/tasks` as told, and returns the environment that points vmtasks at it (only
 * Velostrata configured). Servers are closed after each test.
 */
export function hostileServers(): { serve(answer: Answer): Promise<Record<string, string>> } {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    serve: async (answer) => {
      const server = await startTestServer((request, response, index) => {
        const { status = 200, body } = answer(index);
        // GET …/tasks/{id} (waitForTask polls it): the task of that id from the list answer.
        const one = /\/tasks\/([^/?]+)$/.exec(request.url)?.[1];
        if (one === undefined || status !== 200) return sendJson(response, status, body);
        const content = (body as { content?: { id?: { value?: unknown } }[] }).content;
        const task = Array.isArray(content) ? content.find((item) => item.id?.value === decodeURIComponent(one)) : undefined;
        return task
          ? sendJson(response, 200, task)
          : sendJson(response, Array.isArray(content) ? 404 : 200, Array.isArray(content) ? {} : body);
      });
      servers.push(server);
      return { VELOSTRATA_URL: `${server.url}/velostrata/api/v42`, VELOSTRATA_PASSWORD: PASSWORD };
    },
  };
}
