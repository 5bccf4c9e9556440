import type { RequestSummary } from '../errors.js';
import type { OperationSpec } from '../transport.js';

/** An operation that takes any JSON a 2xx brings; another status is a test failure. */
export const anyJson: OperationSpec<unknown, never> = {
  operation: 'probe',
  method: 'GET',
  accepts: (_value): _value is unknown => true,
  toError: (status: number, _body: unknown, _request: RequestSummary): never => {
    throw new Error(`unexpected HTTP ${status}`);
  },
};
