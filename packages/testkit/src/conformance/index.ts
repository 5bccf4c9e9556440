// The transport's conformance suite: what every client built on @vmtasks/core must do against a
// hostile server, whatever its API. A client's `conformance.test.ts` calls it with a factory, so
// testkit never imports a client.
import { describe } from 'vitest';
import { describeBounds } from './bounds.js';
import { describeFailures } from './failures.js';
import { describeHooks } from './hooks.js';
import { describeRedirects } from './redirects.js';
import { describeSecrets } from './secrets.js';
import { harness, type ConformanceTarget } from './target.js';
import { describeTime } from './time.js';

export function describeTransportConformance<Client extends { close(): Promise<void> }>(target: ConformanceTarget<Client>): void {
  describe(`transport conformance: ${target.name}`, () => {
    const h = harness(target);
    describeRedirects(h);
    describeSecrets(h);
    describeBounds(h);
    describeTime(h);
    describeFailures(h);
    describeHooks(h);
  });
}

export {
  CALL_TOKEN,
  type ConformanceTarget,
  type ConformanceClientOptions,
  type ConformanceCallOptions,
  type ConformanceRawOptions,
  type ErrorClass,
} from './target.js';
