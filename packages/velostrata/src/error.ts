import { ApiError, isRecord, type RequestSummary } from '@vmtasks/core';

/** An error status from the Velostrata Manager, with its `ErrorInfo` body. */
export class VelostrataError extends ApiError {
  /** `ErrorInfo.errorCode`, when the body had one. */
  readonly errorCode: string | undefined;

  constructor(status: number, body: unknown, request: RequestSummary) {
    const info = isRecord(body) ? body : undefined;
    const text = (key: string): string | undefined => (typeof info?.[key] === 'string' ? info[key] : undefined);
    const message =
      text('message') ?? `HTTP ${status} from ${request.operation}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
    super(message, { ...request, url: text('url') ?? request.url, status, body });
    this.errorCode = text('errorCode');
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), errorCode: this.errorCode };
  }
}
