import { AttemptFailure } from './attempt.js';
import type { Policy } from './call.js';

/**
 * A request written to a keep-alive connection the server had just closed never reached the
 * application: an idempotent one is sent again at once, once per call, on a fresh connection
 * (the sender reads `call.staleResend`). Not an attempt: it counts against no retry.
 */
export const staleResendPolicy: Policy = async (call, next) => {
  for (;;) {
    try {
      return await next(call);
    } catch (failure) {
      if (!(failure instanceof AttemptFailure && failure.staleConnection && call.idempotent && call.staleResend === 'unused'))
        throw failure;
      call.staleResend = 'next';
    }
  }
};
