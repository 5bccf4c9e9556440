// How the client's shared waits read their tasks in one round: as few `listTasks` calls as the
// URL limit and the vendor's 1,000-task cap allow.
import type { BatchRead } from '@vmtasks/core';
import { requestLineBatches } from './batches.js';
import { SnapserviceError } from './error.js';
import type { ListItem, ListResult, TaskFilter } from './model.js';

export interface BatchReads {
  listTasks(filter: TaskFilter, options: { signal: AbortSignal }): Promise<ListResult>;
  /** One task, or none when the appliance does not know it. */
  lookUp(taskId: string, signal: AbortSignal): Promise<ListItem[]>;
  querySerializer(query: Record<string, unknown>): string;
}

/** The answer to a listing of more than 1,000 tasks: the vendor refuses it (RESOURCE_INACCESSIBLE). */
const tooMany = (error: unknown): boolean =>
  error instanceof SnapserviceError && error.status === 500 && error.errorType === 'RESOURCE_INACCESSIBLE';

/**
 * A wait alone asks `getTask`. More are read with `listTasks({ tasks })` in batches whose request
 * line stays within 8 KiB, except that the tasks of a service already seen, when they would need
 * more than one batch, are read with one `listTasks({ services })`: it lists every task of that
 * service (more bytes, fewer requests) as long as the vendor answers it (1,000 tasks at most; a
 * service it refuses is read by ids from then on).
 */
export function snapserviceBatchRead(reads: BatchReads, tasksUrl: string): BatchRead<ListItem> {
  // The service of each task waited on, from the last answers (only the ids still read are kept).
  let serviceOf = new Map<string, string>();
  const refused = new Set<string>();
  const batches = (ids: readonly string[]) => requestLineBatches(ids, tasksUrl, reads.querySerializer);

  return async (ids, signal) => {
    if (ids.length === 1) return reads.lookUp(ids[0]!, signal);
    const byService = new Map<string, string[]>();
    const byId: string[] = [];
    for (const id of ids) {
      const service = serviceOf.get(id);
      if (service === undefined || refused.has(service)) byId.push(id);
      else if (byService.has(service)) byService.get(service)!.push(id);
      else byService.set(service, [id]);
    }
    const items: ListItem[] = [];
    for (const [service, waited] of byService) {
      if (batches(waited).length < 2) {
        byId.push(...waited);
        continue;
      }
      try {
        const wanted = new Set(waited);
        for (const item of (await reads.listTasks({ services: [service] }, { signal })).items) if (wanted.has(item.task)) items.push(item);
      } catch (error) {
        if (!tooMany(error)) throw error;
        refused.add(service);
        byId.push(...waited);
      }
    }
    // One batch after the other: a round never floods the appliance.
    for (const tasks of batches(byId)) items.push(...(await reads.listTasks({ tasks }, { signal })).items);
    const read = new Set(ids);
    serviceOf = new Map([...serviceOf].filter(([id]) => read.has(id)));
    for (const item of items) serviceOf.set(item.task, item.info.service);
    return items;
  };
}
