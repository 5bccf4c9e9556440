// Text bound for a log line, with its control characters shown, not obeyed.

/** C0 and C1 controls, DEL, and the invisible marks that reorder or break lines (bidi, U+2028/9). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` on one line, each control character (line feeds too) written as a `\uXXXX` escape. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An error for a log: its `Name: message` made printable, then its stack frames, one a line. */
export function printableError(error: unknown): string {
  if (!(error instanceof Error)) return printable(String(error));
  const head = String(error);
  const frames = error.stack?.startsWith(head) ? error.stack.slice(head.length).split('\n').filter(Boolean) : [];
  return [head, ...frames].map(printable).join('\n');
}
