// Characters that must not reach a terminal or a log line raw: C0 controls (CR and LF forge log
// lines, ESC starts terminal sequences), DEL, C1 controls (CSI is a one-byte ESC [), and the
// format characters that reorder or break text (bidi marks, embeddings, overrides and isolates;
// the line and paragraph separators).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  const code = char.charCodeAt(0);
  // Beyond ASCII as \uXXXX: the form the redactor also recognises a secret in.
  return SHORT_ESCAPES[char] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * `text` with each such character written out as an escape (`\n`, `\x1b`, `\u202e`): visible,
 * and inert wherever the text is printed. Every error message goes through it (`VmtasksError`),
 * so server text quoted in one cannot forge a log line or drive a terminal.
 */
export function neutralize(text: string): string {
  return text.replace(UNSAFE, escaped);
}
