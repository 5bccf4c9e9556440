// The ids of the tasks waited on, cut into `listTasks({ tasks })` calls whose request line fits
// what servers accept.
import type { NonEmptyArray } from './model.js';

/**
 * The longest request line (`GET <target> HTTP/1.1` and its CRLF) a batch may send. Servers
 * refuse longer ones: 8 KiB is nginx's and Apache's default (Node's own limit is 16 KiB for the
 * whole header).
 */
export const MAX_REQUEST_LINE_BYTES = 8_192;

/**
 * Cuts `ids` into batches whose `GET tasksUrl?tasks=…&tasks=…` request line stays within
 * `maxBytes`, each id encoded by `querySerializer` (the one the client sends with). An id too long
 * to fit even alone gets a batch of its own: the server's refusal then names the problem.
 */
export function requestLineBatches(
  ids: readonly string[],
  tasksUrl: string,
  querySerializer: (query: Record<string, unknown>) => string,
  maxBytes = MAX_REQUEST_LINE_BYTES,
): NonEmptyArray<string>[] {
  const fixed = Buffer.byteLength(`GET ${new URL(tasksUrl).pathname}? HTTP/1.1\r\n`);
  const batches: NonEmptyArray<string>[] = [];
  let batch: string[] = [];
  // Only ever called with at least one id in the batch.
  const close = (): void => void batches.push(batch as NonEmptyArray<string>);
  let bytes = fixed;
  for (const id of ids) {
    // `tasks=<id>`, and the `&` that joins it to the previous one.
    const part = Buffer.byteLength(querySerializer({ tasks: [id] }));
    const cost = batch.length === 0 ? part : part + 1;
    if (batch.length > 0 && bytes + cost > maxBytes) {
      close();
      batch = [];
      bytes = fixed;
    }
    bytes += batch.length === 0 ? part : cost;
    batch.push(id);
  }
  if (batch.length > 0) close();
  return batches;
}
