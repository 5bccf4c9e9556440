// Tasks.FilterSpec as the vendor reference states it: the fields combine with AND, the values of
// one field with OR, and a filter must name `tasks` or `services` (the rule OpenAPI cannot state).
import type { ListItem, ListTasksRequireAnyOf, TaskStatus, VapiError } from './spec-types.js';
import { message } from './snapservice-task.js';

export const FILTER_FIELDS = ['tasks', 'services', 'operations', 'status', 'users'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/**
 * At least one of these fields must be present and non-empty: the spec's `x-vmtasks-require-any-of`
 * (the reference: `services` may be missing only if `tasks` is given). The simulator cannot load the
 * client at run time, so the list is written here and checked both ways against the generated
 * `parameterRules` at compile time: when the spec changes, this stops compiling.
 */
export const REQUIRE_ANY_OF = ['tasks', 'services'] as const satisfies readonly FilterField[];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<typeof REQUIRE_ANY_OF, ListTasksRequireAnyOf>;

const STATUSES = new Set<string>(['PENDING', 'RUNNING', 'BLOCKED', 'SUCCEEDED', 'FAILED'] satisfies TaskStatus[]);

export type Filter = Partial<Record<FilterField, ReadonlySet<string>>>;

/** The filter of a query string, or the INVALID_ARGUMENT error a real appliance answers. */
export function parseFilter(query: URLSearchParams): { filter: Filter } | { error: VapiError } {
  const filter: Filter = {};
  for (const field of FILTER_FIELDS) {
    const values = query.getAll(field).filter((value) => value !== '');
    if (values.length > 0) filter[field] = new Set(values);
  }
  for (const value of filter.status ?? []) {
    if (!STATUSES.has(value)) return { error: invalidArgument('com.vmware.vapi.std.errors.invalid_argument', 'Invalid value {0} for parameter {1}.', [value, 'status']) };
  }
  if (!REQUIRE_ANY_OF.some((field) => filter[field])) {
    return {
      error: invalidArgument(
        'com.vmware.snapservice.tasks.filter.tasks_or_services',
        'The filter must specify {0} or {1}.',
        [...REQUIRE_ANY_OF],
      ),
    };
  }
  return { filter };
}

export function matches(filter: Filter, { task, info }: ListItem): boolean {
  return (
    (!filter.tasks || filter.tasks.has(task)) &&
    (!filter.services || filter.services.has(info.service)) &&
    (!filter.operations || filter.operations.has(info.operation)) &&
    (!filter.status || filter.status.has(info.status)) &&
    (!filter.users || (info.user !== undefined && filter.users.has(info.user)))
  );
}

function invalidArgument(id: string, defaultMessage: string, args: string[]): VapiError {
  return { error_type: 'INVALID_ARGUMENT', messages: [message(id, defaultMessage, args)] };
}
