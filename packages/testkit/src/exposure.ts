import { inspect } from 'node:util';

/**
 * Every way an error can be shown: `String`, message, stack, JSON, `util.inspect` (plain and
 * with hidden fields), each own field, and the same for each error of its `cause` chain. A test
 * asserts a secret is in none of them.
 */
export function exposedForms(error: unknown): string[] {
  const forms: string[] = [];
  for (let each = error, depth = 0; each !== undefined && depth < 10; depth++) {
    forms.push(String(each), safely(() => JSON.stringify(each)), inspect(each, { depth: Infinity }), inspect(each, { showHidden: true, depth: Infinity }));
    if (!(each instanceof Error)) break;
    forms.push(each.message, each.stack ?? '');
    for (const key of Object.getOwnPropertyNames(each)) forms.push(safely(() => JSON.stringify((each as unknown as Record<string, unknown>)[key])));
    each = each.cause;
  }
  return forms;
}

const safely = (show: () => string | undefined): string => {
  try {
    return show() ?? '';
  } catch (error) {
    // A form that cannot be shown is itself a failure the test should see.
    return `UNSHOWABLE: ${(error as Error).name}`;
  }
};
