/** A value the shell reads back unchanged (single quotes; a quote inside is closed, escaped, reopened). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
