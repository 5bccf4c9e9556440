import { ApiError, isRecord, type RequestSummary } from '@vmtasks/core';
import { vapiErrorTypeValues } from './generated/openapi.js';
import { formatLocalizable, vapiMessages, type LocalizableMessage, type VapiErrorType } from './model.js';

// The vAPI REST binding's status for each standard error, read backwards: what a body without
// a readable `error_type` most likely was.
const ERROR_TYPE_BY_STATUS: Readonly<Record<number, VapiErrorType>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  500: 'ERROR',
  503: 'SERVICE_UNAVAILABLE',
  504: 'TIMED_OUT',
};

const VAPI_ERROR_TYPES: ReadonlySet<string> = new Set(vapiErrorTypeValues);

function isVapiErrorType(value: unknown): value is VapiErrorType {
  return typeof value === 'string' && VAPI_ERROR_TYPES.has(value);
}

/**
 * A vAPI standard error from the snapservice. `errorType` is always one of the 25 standard
 * errors: the body's `error_type`, or, when the body is unreadable, the one its status stands for.
 */
export class SnapserviceError extends ApiError {
  readonly errorType: VapiErrorType;
  readonly messages: LocalizableMessage[];
  readonly data: unknown;
  /** The authentication challenge of a 401 (`UNAUTHENTICATED`) or 403 (`UNAUTHORIZED`) error, if the server sent one. */
  readonly challenge: string | undefined;

  constructor(status: number, body: unknown, request: RequestSummary) {
    const vapi = isRecord(body) ? body : undefined;
    const errorType = isVapiErrorType(vapi?.['error_type']) ? vapi['error_type'] : (ERROR_TYPE_BY_STATUS[status] ?? 'ERROR');
    const messages = vapiMessages(vapi);
    const first = messages[0];
    const message = first
      ? formatLocalizable(first)
      : `HTTP ${status} ${errorType} from ${request.operation}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
    super(message, { ...request, status, body });
    this.errorType = errorType;
    this.messages = messages;
    this.data = vapi?.['data'];
    this.challenge = typeof vapi?.['challenge'] === 'string' ? vapi['challenge'] : undefined;
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), errorType: this.errorType, challenge: this.challenge };
  }
}
