/**
 * The one audited escape for identifiers: double quotes, inner quotes doubled. Used for table
 * and column names that are not literals in our own code.
 */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL character');
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The one audited escape for string literals, for the few statements where DuckDB takes no
 * parameters (COPY … TO 'file'). Single quotes doubled; NUL refused. Everywhere else, bind.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('literal contains a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}
