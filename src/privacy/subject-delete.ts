import { createHash } from 'node:crypto';
import { PathwiseError, randomToken } from '../core/index.js';
import { quoteIdent, type SqlSession, type SqlValue, type Warehouse } from '../store/index.js';
import { resolveSubject, type Subject } from './subject-person.js';
import { type ScrubReport, scrubFreeBlocks } from './subject-scrub.js';
import { type PersonTable, personTables, subjectWhere } from './subject-tables.js';

/** Person-keyed tables that erasure keeps, and why (PRIVACY.md). */
export const KEPT_ON_ERASURE: Readonly<Record<string, string>> = {
  person_opt_outs: 'ids only: the opt-out must stay honoured after the person is deleted',
};

/** What one erasure removed; the same facts are logged in person_deletions. */
export interface DeletionReport {
  readonly deletionId: string;
  readonly projectId: string;
  /** SHA-256 of `projectId NUL personId`: lets an operator confirm a known id was erased. */
  readonly personHash: string;
  readonly rowCounts: Record<string, number>;
}

/** The outcome of a delete call (one or more persons, one rewrite). */
export interface ErasureResult {
  readonly deletions: readonly DeletionReport[];
  readonly scrub: ScrubReport;
  readonly durationMs: number;
}

/** The hash logged for an erased person. */
export function personHash(projectId: string, personId: string): string {
  return createHash('sha256').update(`${projectId}\u0000${personId}`).digest('hex');
}

async function count(tx: SqlSession, table: PersonTable, subject: Subject): Promise<number> {
  const where = subjectWhere(table, subject);
  const rows = await tx.all({
    sql: `SELECT count(*) AS n FROM ${quoteIdent(table.name)} WHERE ${where.sql}`,
    params: where.params,
  });
  return Number(rows[0]?.n ?? 0);
}

/**
 * Rewrites a table without the subjects' rows: the kept rows are copied out, every row is
 * deleted and the copy is inserted back. A plain DELETE only marks rows; their bytes stay in the
 * row group until DuckDB happens to vacuum it. Once every old row group is deleted, the next
 * checkpoint frees all of their blocks, which the scrub then overwrites.
 */
async function rewriteWithout(tx: SqlSession, table: PersonTable, subjects: readonly Subject[]) {
  const params: SqlValue[] = [];
  const victim = subjects.map((s) => subjectWhere(table, s, params).sql).join(' OR ');
  const name = quoteIdent(table.name);
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_erasure_keep AS SELECT * FROM ${name} WHERE NOT (${victim})`,
    params,
  });
  await tx.run({ sql: `DELETE FROM ${name}` });
  await tx.run({ sql: `INSERT INTO ${name} SELECT * FROM pw_erasure_keep` });
  await tx.run({ sql: 'DROP TABLE pw_erasure_keep' });
}

async function eraseInTransaction(
  tx: SqlSession,
  projectId: string,
  ids: readonly string[],
  requestedBy: string,
): Promise<DeletionReport[]> {
  const subjects: Subject[] = [];
  for (const id of ids) {
    const subject = await resolveSubject(tx, projectId, id);
    if (!subject) throw new PathwiseError('PW_PERSON_NOT_FOUND', { id });
    if (!subjects.some((s) => s.personId === subject.personId)) subjects.push(subject);
  }
  const tables = (await personTables(tx)).filter((t) => !Object.hasOwn(KEPT_ON_ERASURE, t.name));
  const reports: DeletionReport[] = [];
  for (const subject of subjects) {
    const rowCounts: Record<string, number> = {};
    for (const table of tables) rowCounts[table.name] = await count(tx, table, subject);
    reports.push({
      deletionId: `del_${randomToken(12)}`,
      projectId,
      personHash: personHash(projectId, subject.personId),
      rowCounts,
    });
  }
  for (const table of tables) {
    if (reports.some((r) => (r.rowCounts[table.name] ?? 0) > 0)) await rewriteWithout(tx, table, subjects);
  }
  for (const r of reports) {
    await tx.run({
      sql: `INSERT INTO person_deletions VALUES ($1, $2, $3, $4, now()::TIMESTAMP, $5::JSON, 0)`,
      params: [r.deletionId, projectId, r.personHash, requestedBy, JSON.stringify(r.rowCounts)],
    });
  }
  return reports;
}

/** DuckDB reports a write-write conflict with the background pass; the erasure is retried. */
function isConflict(err: unknown): boolean {
  return err instanceof Error && /conflict/i.test(err.message);
}

/**
 * GDPR erasure (README, "Privacy"): removes every row about each person the ids name from every
 * person-keyed table (events, persons, their distinct ids, sessions, rejected payloads naming
 * them, and tables added later), logs each deletion without the deleted data, checkpoints, and
 * overwrites the freed blocks so that the bytes are gone from the file. Ingest waits while the
 * tables are rewritten: erase several persons in one call when there are many.
 */
export async function eraseSubjects(
  wh: Warehouse,
  projectId: string,
  ids: readonly string[],
  options: { requestedBy: string },
): Promise<ErasureResult> {
  const started = performance.now();
  let deletions: DeletionReport[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      deletions = await wh.exclusive((tx) => eraseInTransaction(tx, projectId, ids, options.requestedBy), {
        isCheckpointed: true,
      });
      break;
    } catch (err) {
      if (!isConflict(err) || attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
  const scrub = await scrubFreeBlocks(wh);
  const durationMs = performance.now() - started;
  await wh.run({
    sql: 'UPDATE person_deletions SET duration_ms = $2 WHERE deletion_id IN (SELECT unnest($1::VARCHAR[]))',
    params: [deletions.map((d) => d.deletionId), durationMs],
  });
  return { deletions, scrub, durationMs };
}
