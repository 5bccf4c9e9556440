// The spec's shapes under the names the client uses: the leaf every other module of the client imports.
import type { components } from './generated/openapi.js';

export type TaskDescriptionPage = components['schemas']['TaskDescriptionPage'];
export type TaskDescription = components['schemas']['TaskDescription'];
export type TaskState = components['schemas']['TaskState'];
/** The task types listed in the spec; the API may send others (see `TaskType`). */
export type KnownTaskType = components['schemas']['KnownTaskType'];
/** A known task type, or one a newer release added: never rejected. */
export type TaskType = KnownTaskType | (string & {});
export type EntityId = components['schemas']['EntityId'];
export type TaskId = components['schemas']['TaskId'];
export type ErrorInfo = components['schemas']['ErrorInfo'];
/**
 * `POST /tasks`'s body: which page, how large, and an optional filter. Every field is optional (the
 * generated type makes `page` and `size` required because they have defaults, as a response would).
 */
export type PageRequest = Partial<components['schemas']['PageRequest']>;
/** The task list's filter: one of `IdFilter`, `TaskEntityIdFilter`, `TaskStateFilter`, told apart by `_type`. */
export type TaskFilter = components['schemas']['Filter'];
export type IdFilter = components['schemas']['IdFilter'];
export type TaskEntityIdFilter = components['schemas']['TaskEntityIdFilter'];
export type TaskStateFilter = components['schemas']['TaskStateFilter'];
