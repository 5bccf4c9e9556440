// openapi-typescript does not carry security requirements into the types, so the compiler cannot
// judge them; this compares each operation's effective requirements, with every scheme replaced
// by what a client must send (type, scheme, header or query name, scopes).
import { isRecord } from '../registry.js';
import type { Change } from './change.js';
import { METHODS } from '../responses.js';

/** Each way a client may authenticate an operation, as a canonical string ("" = anonymous). */
function alternatives(document: Record<string, unknown>, operation: Record<string, unknown>): Set<string> {
  const requirements = operation['security'] ?? document['security'] ?? [];
  const components = isRecord(document['components']) ? document['components'] : {};
  const schemes = isRecord(components['securitySchemes']) ? components['securitySchemes'] : {};
  const result = new Set<string>();
  for (const requirement of Array.isArray(requirements) ? requirements : []) {
    if (!isRecord(requirement)) continue;
    const parts = Object.entries(requirement).map(([name, scopes]) => {
      const scheme = isRecord(schemes[name]) ? schemes[name] : {};
      const { description: _description, ...what } = scheme;
      const sortedScopes = Array.isArray(scopes) ? [...scopes].map(String).sort() : [];
      return JSON.stringify({ ...what, scopes: sortedScopes }, Object.keys({ ...what, scopes: 0 }).sort());
    });
    result.add(parts.sort().join(' + '));
  }
  if (result.size === 0) result.add('');
  return result;
}

function describe(option: string): string {
  if (option === '') return 'no credentials';
  return option
    .split(' + ')
    .map((part) => {
      const scheme = JSON.parse(part) as Record<string, unknown>;
      const detail = [scheme['scheme'], scheme['in'], scheme['name']].filter((x) => typeof x === 'string').join(' ');
      return `${String(scheme['type'])}${detail ? ` (${detail})` : ''}`;
    })
    .join(' + ');
}

/** A way of authenticating that worked before and no longer does breaks clients that use it. */
export function compareAuth(previous: Record<string, unknown>, current: Record<string, unknown>): Change[] {
  const changes: Change[] = [];
  const oldPaths = isRecord(previous['paths']) ? previous['paths'] : {};
  const newPaths = isRecord(current['paths']) ? current['paths'] : {};
  for (const [route, oldItem] of Object.entries(oldPaths)) {
    const newItem = newPaths[route];
    if (!isRecord(oldItem) || !isRecord(newItem)) continue;
    for (const method of METHODS) {
      const oldOperation = oldItem[method];
      const newOperation = newItem[method];
      if (!isRecord(oldOperation) || !isRecord(newOperation)) continue;
      const before = alternatives(previous, oldOperation);
      const after = alternatives(current, newOperation);
      const where = `${method.toUpperCase()} ${route} security`;
      const lost = [...before].filter((option) => !after.has(option));
      if (lost.length > 0) {
        changes.push({
          breaking: true,
          where,
          why: `authentication changed: ${lost.map(describe).join(', ')} no longer accepted (now: ${[...after].map(describe).join(' or ')})`,
        });
      } else if (after.size > before.size) {
        const added = [...after].filter((option) => !before.has(option));
        changes.push({ breaking: false, where, why: `also accepts ${added.map(describe).join(', ')}` });
      }
    }
  }
  return changes;
}
