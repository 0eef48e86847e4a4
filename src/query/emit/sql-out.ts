import type { SqlQuery, SqlValue } from '../../store/index.js';

/** Collects SQL text and its bound values; every user-supplied value goes through `bind`. */
export class SqlOut {
  private readonly params: SqlValue[] = [];
  private readonly byKey = new Map<string, string>();

  /** Binds a value and returns its placeholder; equal scalars share one placeholder. */
  bind(value: SqlValue): string {
    const key = typeof value === 'object' ? null : `${typeof value}:${String(value)}`;
    const known = key === null ? undefined : this.byKey.get(key);
    if (known) return known;
    this.params.push(value);
    const placeholder = `$${this.params.length}`;
    if (key !== null) this.byKey.set(key, placeholder);
    return placeholder;
  }

  /** The statement with its parameters. */
  query(sql: string): SqlQuery {
    return { sql, params: [...this.params] };
  }
}
