import picocolors from 'picocolors';

/** picocolors' formatters, on or off; decided once per stream (see `colorEnabled`). */
export type Colors = ReturnType<typeof picocolors.createColors>;

export const createColors = (enabled: boolean): Colors => picocolors.createColors(enabled);
