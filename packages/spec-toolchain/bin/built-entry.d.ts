/** `dist/<entry>.js` when built after every change to its inputs, else undefined (see built-entry.js). */
export function builtEntry(packageDir: string, entry: string): string | undefined;
/** Runs `entry`: built when it can, else `src/<entry>.ts` through tsx (see built-entry.js). */
export function importEntry(packageDir: string, entry: string): Promise<unknown>;
