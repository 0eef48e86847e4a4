import type { SqlSession, Warehouse } from '../store/index.js';

/** A data subject: the resolved person and every id known to be theirs. */
export interface Subject {
  readonly projectId: string;
  readonly personId: string;
  /** The person id, its distinct ids (identity's map and opt-out records) and ids of its unprocessed rows. */
  readonly ids: readonly string[];
}

type Reader = Pick<SqlSession, 'all'>;

/**
 * The person an id names: a person id, else the latest owner of a distinct id (a shared device
 * maps to several persons), else the id of rows the background pass has not processed yet
 * (their person is their distinct id until then), else an opt-out record's person.
 */
async function personOf(db: Reader, projectId: string, id: string): Promise<string | null> {
  const rows = await db.all({
    sql: `SELECT coalesce(
            (SELECT any_value(person_id) FROM persons WHERE project_id = $1 AND person_id = $2),
            (SELECT arg_max(person_id, coalesce(valid_from, TIMESTAMP '1970-01-01'))
               FROM person_distinct_ids WHERE project_id = $1 AND distinct_id = $2),
            (SELECT any_value(distinct_id) FROM events
               WHERE project_id = $1 AND distinct_id = $2 AND person_id IS NULL),
            (SELECT any_value(person_id) FROM person_opt_outs WHERE project_id = $1 AND distinct_id = $2)
          ) AS person_id`,
    params: [projectId, id],
  });
  const person = rows[0]?.person_id;
  return typeof person === 'string' ? person : null;
}

/** Every id of a person, with the devices its unprocessed rows link to it. */
async function idsOf(db: Reader, projectId: string, personId: string): Promise<string[]> {
  const rows = await db.all({
    sql: `WITH known AS (
            SELECT $2 AS id
            UNION SELECT distinct_id FROM person_distinct_ids WHERE project_id = $1 AND person_id = $2
            UNION SELECT distinct_id FROM person_opt_outs WHERE project_id = $1 AND person_id = $2
          ), linked AS (
            -- A user's unprocessed events link their device; a device never links a user (a
            -- shared device belongs to several persons: README, "Identity rules").
            SELECT anonymous_id AS id FROM events
            WHERE project_id = $1 AND person_id IS NULL AND user_id IN (SELECT id FROM known)
          )
          SELECT id FROM known UNION SELECT id FROM linked WHERE id IS NOT NULL ORDER BY id`,
    params: [projectId, personId],
  });
  return rows.map((r) => String(r.id));
}

/** Resolves an id (person id or any distinct id) to its subject; null when nothing is stored about it. */
export async function resolveSubject(
  db: Reader | Warehouse,
  projectId: string,
  id: string,
): Promise<Subject | null> {
  const personId = await personOf(db, projectId, id);
  if (personId === null) return null;
  return { projectId, personId, ids: await idsOf(db, projectId, personId) };
}
