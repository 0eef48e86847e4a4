import type { SqlSession } from '../store/index.js';

/**
 * The rows a pass takes up, copied once into a temp table with every column the later steps
 * read (identity, persons, sessions), so that no step scans the events table again to find
 * them. `person_id` is filled in by `assignNewRows`.
 */
export const NEW_EVENTS_TABLE = 'pw_new_events';

const NEW_ROW_COLUMNS = `rowid AS rid, distinct_id, anonymous_id, user_id, previous_id, timestamp, session_id,
  client_session_id, message_id, type, event, url, path, referrer, referrer_domain, utm_source, utm_medium,
  utm_campaign, utm_term, utm_content, channel, device_type, browser, os, country, traits, NULL::VARCHAR AS person_id`;

/** The rows without a person (or none, for a rebuild: it takes up every row of the project). */
export async function stageNewRows(
  tx: SqlSession,
  projectId: string,
  isFull: boolean,
): Promise<{ count: number; firstRowid: number | null }> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE ${NEW_EVENTS_TABLE} AS SELECT ${NEW_ROW_COLUMNS}
          FROM events WHERE project_id = $1 AND ${isFull ? 'false' : 'person_id IS NULL'}`,
    params: [projectId],
  });
  const rows = await tx.all({ sql: `SELECT count(*) AS n, min(rid) AS first FROM ${NEW_EVENTS_TABLE}` });
  const first = rows[0]?.first;
  return {
    count: Number(rows[0]?.n ?? 0),
    firstRowid: first === null || first === undefined ? null : Number(first),
  };
}

/**
 * Whether the new rows leave every stored mapping as it is, so that resolution reduces to
 * adding the ids never seen before (each its own person). That holds when they carry no alias,
 * every userId is already its own person with one plain mapping (a person's id is always a user
 * id: README, "Person id"), and every link (anonymousId + userId) joins a device that already
 * belongs, for all time, to exactly that person: the device's switches all lead to that person's
 * users, so a further one changes no interval. Anything else goes through full resolution.
 */
export async function isMappingUnchanged(tx: SqlSession, projectId: string): Promise<boolean> {
  const rows = await tx.all({
    sql: `WITH ids AS (
            SELECT DISTINCT id FROM (SELECT unnest([user_id, anonymous_id]) AS id FROM ${NEW_EVENTS_TABLE})
            WHERE id IS NOT NULL
          ),
          stored AS (
            SELECT distinct_id, count(*) AS n, any_value(person_id) AS person_id,
                   bool_and(valid_from IS NULL AND valid_to IS NULL) AS is_plain
            FROM person_distinct_ids WHERE project_id = $1 AND distinct_id IN (SELECT id FROM ids)
            GROUP BY distinct_id
          )
          SELECT count(*) AS blockers FROM ${NEW_EVENTS_TABLE} e
          LEFT JOIN stored u ON u.distinct_id = e.user_id
          LEFT JOIN stored d ON d.distinct_id = e.anonymous_id
          WHERE (e.type = 'alias' AND e.previous_id IS NOT NULL AND e.previous_id <> e.distinct_id)
             OR (e.user_id IS NOT NULL AND u.distinct_id IS NOT NULL
                 AND NOT (u.n = 1 AND u.is_plain AND u.person_id = e.user_id))
             OR (e.user_id IS NOT NULL AND e.anonymous_id IS NOT NULL AND e.anonymous_id <> e.user_id
                 AND (u.distinct_id IS NULL OR d.distinct_id IS NULL
                      OR NOT (d.n = 1 AND d.is_plain AND d.person_id = e.user_id)))`,
    params: [projectId],
  });
  return Number(rows[0]?.blockers ?? 1) === 0;
}

/**
 * Sets the new rows' person from the stored mappings (a row with a userId: that user's person;
 * an anonymous row: the person its device belonged to at that time; otherwise its own id), then
 * copies it to events by rowid, above the first new rowid so that older row groups are skipped.
 */
export async function assignNewRows(tx: SqlSession, projectId: string, firstRowid: number): Promise<void> {
  await tx.run({
    sql: `UPDATE ${NEW_EVENTS_TABLE} n SET person_id = m.person_id FROM person_distinct_ids m
          WHERE m.project_id = $1 AND m.distinct_id = n.user_id`,
    params: [projectId],
  });
  await tx.run({
    sql: `UPDATE ${NEW_EVENTS_TABLE} n SET person_id = m.person_id FROM person_distinct_ids m
          WHERE m.project_id = $1 AND n.user_id IS NULL AND m.distinct_id = n.distinct_id
            AND (m.valid_from IS NULL OR n.timestamp >= m.valid_from)
            AND (m.valid_to IS NULL OR n.timestamp < m.valid_to)`,
    params: [projectId],
  });
  // Every id in scope has a mapping; this only guards against a row being retried forever.
  await tx.run({
    sql: `UPDATE ${NEW_EVENTS_TABLE} SET person_id = coalesce(user_id, distinct_id) WHERE person_id IS NULL`,
  });
  await tx.run({
    sql: `UPDATE events SET person_id = n.person_id FROM ${NEW_EVENTS_TABLE} n
          WHERE events.rowid >= ${rowidLiteral(firstRowid)} AND events.rowid = n.rid`,
  });
}

/** A rowid as SQL text: a literal, so that DuckDB prunes row groups by it (a bound value is not). */
export function rowidLiteral(rowid: number): string {
  if (!Number.isSafeInteger(rowid) || rowid < 0) throw new Error(`not a rowid: ${rowid}`);
  return String(rowid);
}
