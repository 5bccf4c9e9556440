// The types generated from both specs, so the simulator cannot drift from them at compile time.
// Imported type-only from the clients' built declarations by path, not as packages: the simulator
// has no runtime (nor package) dependency on the clients, and the clients may use the simulator in
// their own tests without a dependency cycle. turbo.json builds both clients before this package.
import type { components as VelostrataComponents } from '../../velostrata/dist/generated/openapi.js';
import type { components as SnapserviceComponents } from '../../snapservice/dist/generated/openapi.js';

type V = VelostrataComponents['schemas'];
type S = SnapserviceComponents['schemas'];

export type TaskDescriptionPage = V['TaskDescriptionPage'];
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
export type UnauthenticatedError = S['UnauthenticatedError'];
/** `Info.error`: whatever the spec allows there (a full vAPI error today; looser after the fidelity round). */
export type TaskError = NonNullable<TaskInfo['error']>;
