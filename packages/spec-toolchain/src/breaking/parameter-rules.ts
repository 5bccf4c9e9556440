// Rules between parameters live in a vendor extension (`x-vmtasks-require-any-of`, see rules.ts),
// not in the generated types, so the compiler cannot judge them: a rule added to an operation, or
// one that accepts fewer parameters, refuses requests that were sent before.
import { isRecord } from '../registry.js';
import { METHODS } from '../responses.js';
import { parameterRules, REQUIRE_ANY_OF } from '../rules.js';
import type { Change } from './change.js';

/** operationId → `METHOD /path`, the names the other checks report. */
function operationNames(document: Record<string, unknown>): Map<string, string> {
  const names = new Map<string, string>();
  for (const [route, item] of Object.entries(isRecord(document['paths']) ? document['paths'] : {})) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (isRecord(operation) && typeof operation['operationId'] === 'string')
        names.set(operation['operationId'], `${method.toUpperCase()} ${route}`);
    }
  }
  return names;
}

/** Calls that satisfied the base's rules and no longer do break; a rule relaxed or dropped does not. */
export function compareParameterRules(previous: Record<string, unknown>, current: Record<string, unknown>): Change[] {
  const before = parameterRules(previous);
  const after = parameterRules(current);
  const previousOperations = operationNames(previous);
  const currentOperations = operationNames(current);
  const changes: Change[] = [];
  for (const [operationId, name] of currentOperations) {
    // A new operation breaks no call that exists.
    if (!previousOperations.has(operationId)) continue;
    const was = before.get(operationId)?.requireAnyOf;
    const is = after.get(operationId)?.requireAnyOf;
    const where = `${name} parameters (${REQUIRE_ANY_OF})`;
    if (is && !was) {
      changes.push({ breaking: true, where, why: `now requires one of ${is.join(', ')}: calls that send none of them are refused` });
    } else if (is && was) {
      const dropped = was.filter((parameter) => !is.includes(parameter));
      const added = is.filter((parameter) => !was.includes(parameter));
      if (dropped.length > 0) {
        changes.push({
          breaking: true,
          where,
          why: `${dropped.join(', ')} no longer satisfies the rule (now one of ${is.join(', ')}): calls that send only ${dropped.join(' or ')} are refused`,
        });
      } else if (added.length > 0) changes.push({ breaking: false, where, why: `also satisfied by ${added.join(', ')}` });
    } else if (was && !is) changes.push({ breaking: false, where, why: `no longer requires one of ${was.join(', ')}` });
  }
  return changes;
}
