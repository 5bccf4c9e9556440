// POST /tasks's page request: read from the body as a manager would, and its filter applied to a task.
import type { PageRequest, TaskDescription } from './spec-types.js';

type Filter = NonNullable<PageRequest['filter']>;
type ParsedRequest = { filter?: Filter; page?: number; size?: number };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The page request, or what is wrong with it (a 400's message). */
export function parsePageRequest(body: string): ParsedRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'Required request body is missing or is not JSON';
  }
  if (!isRecord(value)) return 'The page request must be a JSON object';
  const { filter, page, size } = value;
  if (page !== undefined && !isCount(page)) return 'page must be a whole number >= 0';
  if (size !== undefined && !isCount(size)) return 'size must be a whole number >= 0';
  if (filter === undefined) return { page, size } as ParsedRequest;
  if (!isRecord(filter)) return 'filter must be an object';
  switch (filter['_type']) {
    case 'IdFilter':
      if (!Array.isArray(filter['ids']) || !filter['ids'].every(isRecord)) return 'IdFilter.ids must be a list of ids';
      break;
    case 'TaskEntityIdFilter':
      if (!isRecord(filter['id'])) return 'TaskEntityIdFilter.id must be an entity id';
      break;
    case 'TaskStateFilter':
      if (!Array.isArray(filter['state'])) return 'TaskStateFilter.state must be a list of states';
      break;
    default:
      return `Unknown filter type ${JSON.stringify(filter['_type'])}`;
  }
  return { filter: filter as Filter, page, size } as ParsedRequest;
}

/** Whether `filter` lists `task`: a test built once per request (an `IdFilter` of many ids looks each task up in a set). */
export function filterMatcher(filter: Filter | undefined): (task: TaskDescription) => boolean {
  if (filter?._type !== 'IdFilter') return (task) => matchesFilter(filter, task);
  const ids = new Set(filter.ids.map((id) => id.value));
  return (task) => task.id?.value !== undefined && ids.has(task.id.value);
}

export function matchesFilter(filter: Filter | undefined, task: TaskDescription): boolean {
  if (!filter) return true;
  switch (filter._type) {
    case 'IdFilter':
      return filter.ids.some((id) => id.value === task.id?.value);
    case 'TaskEntityIdFilter':
      return filter.id.value === task.entity?.value && filter.id._type === task.entity?._type;
    case 'TaskStateFilter':
      return task.state !== undefined && filter.state.includes(task.state);
  }
}
