// getTask, cancelTask, listTasks and iterateTasks against a local server that records what it got.
import { caught, sendJson, startTestServer, type TestServer } from '@vmtasks/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createVelostrataClient, InvalidRequestError, MalformedResponseError, VelostrataError, type TaskDescription } from './index.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const task = (n: number): TaskDescription => ({
  id: { value: `task-${n}`, _type: 'TaskId' },
  state: 'Succeeded',
  taskType: 'FullMigration',
});

async function manager(handler: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(handler);
  servers.push(server);
  const client = createVelostrataClient({ baseUrl: `${server.url}/velostrata/api/v42`, password: 'sub-1', retry: false });
  return { server, client };
}

/** A history of `total` tasks served `size` to a page, as a manager pages `POST /tasks`. */
function history(total: number, size: number): Parameters<typeof startTestServer>[0] {
  return (req, res) => {
    const { page = 0 } = JSON.parse(req.body || '{}') as { page?: number };
    const content = Array.from({ length: Math.max(0, Math.min(size, total - page * size)) }, (_, i) => task(page * size + i));
    sendJson(res, 200, {
      _type: 'TaskDescriptionPage',
      number: page,
      numberOfElements: content.length,
      totalElements: total,
      totalPages: Math.ceil(total / size),
      content,
    });
  };
}

describe('getTask', () => {
  it('asks for one task by id, the id encoded as one path segment; 404 is a VelostrataError', async () => {
    const { server, client } = await manager((req, res) =>
      req.url?.endsWith('/task-1') ? sendJson(res, 200, task(1)) : sendJson(res, 404, { errorCode: 'NOT_FOUND', message: 'no such task' }),
    );
    expect(await client.getTask('task-1')).toEqual(task(1));
    const missing = await caught(client.getTask('a/../b?c#d'));
    expect(missing).toBeInstanceOf(VelostrataError);
    expect(missing).toMatchObject({ status: 404, errorCode: 'NOT_FOUND', operation: 'getTask' });
    expect(server.requests.map((r) => r.url)).toEqual(['/velostrata/api/v42/tasks/task-1', '/velostrata/api/v42/tasks/a%2F..%2Fb%3Fc%23d']);
  });

  it('refuses an id that is not a non-empty string before sending', async () => {
    const { server, client } = await manager((_req, res) => sendJson(res, 200, task(1)));
    for (const id of ['', 42, undefined, '\ud800', '.', '..']) {
      const error = await caught(client.getTask(id as string));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ parameter: 'taskId' });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('cancelTask', () => {
  it("answers 'accepted' on 202 and 'already-ended' on 204, with a DELETE and no body", async () => {
    const { server, client } = await manager((req, res) => {
      res.statusCode = req.url?.endsWith('/running') ? 202 : 204;
      res.end();
    });
    expect(await client.cancelTask('running')).toBe('accepted');
    expect(await client.cancelTask('done')).toBe('already-ended');
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.body.length}`)).toEqual([
      'DELETE /velostrata/api/v42/tasks/running 0',
      'DELETE /velostrata/api/v42/tasks/done 0',
    ]);
  });

  it('reports an unknown task as the 404 it is', async () => {
    const { client } = await manager((_req, res) => sendJson(res, 404, { errorCode: 'NOT_FOUND', message: 'Task x was not found' }));
    expect(await caught(client.cancelTask('x'))).toMatchObject({ name: 'VelostrataError', status: 404, message: 'Task x was not found' });
  });
});

describe('listTasks', () => {
  it('POSTs the PageRequest as JSON, the filter union as given', async () => {
    const { server, client } = await manager(history(3, 10));
    const page = await client.listTasks({ page: 0, size: 10, filter: { _type: 'TaskStateFilter', state: ['Failed', 'Cancelled'] } });
    expect(page.content).toHaveLength(3);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/velostrata/api/v42/tasks' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      page: 0,
      size: 10,
      filter: { _type: 'TaskStateFilter', state: ['Failed', 'Cancelled'] },
    });
    await client.listTasks();
    expect(server.requests[1]?.body).toBe('{}');
  });

  it('refuses a page or size that is not a count, and a filter without _type, before sending', async () => {
    const { server, client } = await manager(history(3, 10));
    for (const [request, parameter] of [
      [{ page: -1 }, 'request.page'],
      [{ size: 1.5 }, 'request.size'],
      [{ filter: { ids: [] } }, 'request.filter'],
      ['page 2', 'request'],
    ] as const) {
      expect(await caught(client.listTasks(request as never))).toMatchObject({ name: 'InvalidRequestError', parameter });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('iterateTasks', () => {
  it('yields every task of every page, one request per page, and stops after the last', async () => {
    const { server, client } = await manager(history(25, 10));
    const ids: string[] = [];
    for await (const t of client.iterateTasks({ size: 10 })) ids.push(t.id?.value ?? '');
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `task-${i}`));
    expect(server.requests.map((r) => JSON.parse(r.body).page)).toEqual([0, 1, 2]);
  });

  it('fetches a page only when the loop asks for it', async () => {
    const { server, client } = await manager(history(25, 10));
    for await (const t of client.iterateTasks({ size: 10 })) if (t.id?.value === 'task-3') break;
    expect(server.requests).toHaveLength(1);
  });

  it('ends a server that never ends, or answers another page than asked, with MalformedResponseError', async () => {
    const endless = await manager((req, res) => {
      const { page = 0 } = JSON.parse(req.body) as { page?: number };
      sendJson(res, 200, { _type: 'TaskDescriptionPage', number: page, totalPages: page + 2, content: [task(page)] });
    });
    let seen = 0;
    const error = await caught(
      (async () => {
        for await (const _ of endless.client.iterateTasks({}, { maxPages: 50 })) seen += 1;
      })(),
    );
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ message: 'iterateTasks: more than maxPages (50) pages' });
    expect(seen).toBe(50);

    const stuck = await manager((_req, res) =>
      sendJson(res, 200, { _type: 'TaskDescriptionPage', number: 0, totalPages: 9, content: [task(0)] }),
    );
    const repeat = await caught(
      (async () => {
        for await (const _ of stuck.client.iterateTasks()) {
          // drain
        }
      })(),
    );
    expect(repeat).toMatchObject({ name: 'MalformedResponseError', message: 'iterateTasks: page 1 was asked for, page 0 came back' });
  });
});
