// The types generated from both specs, so the simulator cannot drift from them at compile time.
// Type-only imports (erased from the JavaScript): the simulator never loads the clients at run time.
// The simulator depends on the clients for their generated types; no client depends on the simulator (tests
// that need both live in packages/examples), so the package graph has no cycle.
import type { components as VelostrataComponents } from '@vmtasks/velostrata';
import type { components as SnapserviceComponents, parameterRules } from '@vmtasks/snapservice';

type V = VelostrataComponents['schemas'];
type S = SnapserviceComponents['schemas'];

export type TaskDescriptionPage = V['TaskDescriptionPage'];
export type PageRequest = V['PageRequest'];
export type TaskDescription = V['TaskDescription'];
export type TaskState = V['TaskState'];
export type EntityId = V['EntityId'];
export type EntityType = EntityId['_type'];
export type TaskId = V['TaskId'];
export type KnownTaskType = V['KnownTaskType'];
export type ErrorInfo = V['ErrorInfo'];

export type ListResult = S['ListResult'];
export type ListItem = S['ListItem'];
export type TaskInfo = S['TaskInfo'];
export type TaskStatus = S['TaskStatus'];
export type Progress = S['Progress'];
export type DynamicId = S['DynamicId'];
export type LocalizableMessage = S['LocalizableMessage'];
export type VapiError = S['VapiError'];
export type VapiErrorType = S['VapiErrorType'];
/** The 401 and 403 body: a vAPI error with the authentication challenge. */
export type VapiErrorWithChallenge = S['VapiErrorWithChallenge'];
/** `Info.error`: free-form as the vendor says, its vAPI properties typed but optional. */
export type TaskError = S['TaskError'];
/** The spec's `x-vmtasks-require-any-of` of listTasks, as generated: at least one of these query parameters. */
export type ListTasksRequireAnyOf = (typeof parameterRules)['listTasks']['requireAnyOf'];
