import { quoteIdent, type SqlSession, type SqlValue } from '../store/index.js';
import type { Subject } from './subject-person.js';

/** A table that holds rows about persons, found from the schema. */
export interface PersonTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/** Columns that key a row to a person. */
const PERSON_COLUMNS = ['person_id', 'distinct_id'] as const;
/** Columns that hold a raw payload as received (rejected events), searched for the person's ids. */
const PAYLOAD_COLUMNS = ['raw'] as const;

/**
 * Every base table with a person key (`person_id`, `distinct_id`) or a raw payload, read from
 * information_schema, so that tables added by later migrations are covered without a list to
 * keep up to date (README, "Privacy").
 */
export async function personTables(db: Pick<SqlSession, 'all'>): Promise<PersonTable[]> {
  const rows = await db.all({
    sql: `SELECT c.table_name, list(c.column_name ORDER BY c.ordinal_position) AS names,
            list(c.data_type ORDER BY c.ordinal_position) AS types
          FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE t.table_type = 'BASE TABLE' AND c.table_catalog = current_database() AND c.table_schema = 'main'
          GROUP BY c.table_name ORDER BY c.table_name`,
  });
  const keyed = [...PERSON_COLUMNS, ...PAYLOAD_COLUMNS] as readonly string[];
  return rows
    .map((r) => {
      const names = r.names as string[];
      const types = r.types as string[];
      return {
        name: String(r.table_name),
        columns: names.map((name, i) => ({ name, type: types[i] ?? '' })),
      };
    })
    .filter((t) => t.columns.some((c) => keyed.includes(c.name)));
}

function has(table: PersonTable, column: string): boolean {
  return table.columns.some((c) => c.name === column);
}

/**
 * The rows of a table that are about a subject, as a predicate with its parameters from `$1`:
 * a row resolved to the person, a row not yet resolved whose distinct id is one of theirs (a
 * row of a shared device resolved to someone else is that person's), or a raw payload naming
 * one of their ids as a JSON string.
 */
export function subjectWhere(
  table: PersonTable,
  subject: Subject,
  params: SqlValue[] = [],
): { sql: string; params: SqlValue[] } {
  const bind = (v: SqlValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  const ids = () => `(SELECT unnest(${bind([...subject.ids])}::VARCHAR[]))`;
  if (has(table, 'person_id') && has(table, 'distinct_id')) {
    parts.push(`person_id = ${bind(subject.personId)} OR (person_id IS NULL AND distinct_id IN ${ids()})`);
  } else if (has(table, 'person_id')) {
    parts.push(`person_id = ${bind(subject.personId)}`);
  } else if (has(table, 'distinct_id')) {
    parts.push(`distinct_id IN ${ids()}`);
  }
  for (const column of PAYLOAD_COLUMNS.filter((c) => has(table, c))) {
    const needles = bind(subject.ids.map((id) => JSON.stringify(id)));
    parts.push(
      `list_bool_or(list_transform(${needles}::VARCHAR[], lambda n: contains(${quoteIdent(column)}, n)))`,
    );
  }
  const person = parts.map((p) => `(${p})`).join(' OR ');
  const project = has(table, 'project_id') ? `project_id = ${bind(subject.projectId)} AND ` : '';
  // Never NULL: erasure keeps the rows where this is false, and NOT NULL would lose a row.
  return { sql: `coalesce(${project}(${person}), false)`, params };
}
