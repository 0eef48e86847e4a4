import { formatInstantUs, nowUs, PathwiseError } from '../core/index.js';
import { quoteIdent, type Row, type Warehouse } from '../store/index.js';
import { resolveSubject } from './subject-person.js';
import { personTables, subjectWhere } from './subject-tables.js';

/** A DSAR export: every stored row about one person, per table (README, "Privacy"). */
export interface SubjectExport {
  readonly projectId: string;
  readonly personId: string;
  /** Every id the rows were matched on. */
  readonly ids: readonly string[];
  readonly exportedAt: string;
  /** Rows per table; JSON columns are parsed. */
  readonly tables: Record<string, Row[]>;
  readonly counts: Record<string, number>;
}

function parseJsonColumns(rows: Row[], jsonColumns: readonly string[]): Row[] {
  if (jsonColumns.length === 0) return rows;
  for (const row of rows) {
    for (const c of jsonColumns) {
      const v = row[c];
      if (typeof v === 'string') row[c] = JSON.parse(v) as unknown;
    }
  }
  return rows;
}

/**
 * Exports every row about the person an id names (person id or any distinct id), from every
 * table with a person key or a raw payload, in one consistent snapshot.
 */
export async function exportSubject(wh: Warehouse, projectId: string, id: string): Promise<SubjectExport> {
  return wh.transaction(async (tx) => {
    const subject = await resolveSubject(tx, projectId, id);
    if (!subject) throw new PathwiseError('PW_PERSON_NOT_FOUND', { id });
    const tables: Record<string, Row[]> = {};
    const counts: Record<string, number> = {};
    for (const table of await personTables(tx)) {
      const where = subjectWhere(table, subject);
      const rows = await tx.all({
        sql: `SELECT * FROM ${quoteIdent(table.name)} WHERE ${where.sql} ORDER BY rowid`,
        params: where.params,
      });
      const json = table.columns.filter((c) => c.type === 'JSON').map((c) => c.name);
      tables[table.name] = parseJsonColumns(rows, json);
      counts[table.name] = rows.length;
    }
    return {
      projectId,
      personId: subject.personId,
      ids: subject.ids,
      exportedAt: formatInstantUs(nowUs()),
      tables,
      counts,
    };
  });
}
