import type { SqlSession } from '../store/index.js';
import type { DeviceSwitch, UserAlias } from './resolve.js';

/**
 * The scope of a resolution: every id of the project, or the ids listed in the temp table
 * `pw_ids` (the ids touched by new events, closed over the persons they belong to).
 */
export type IdScope = 'all' | 'listed';

function inScope(scope: IdScope, column: string): string {
  return scope === 'all' ? 'true' : `${column} IN (SELECT id FROM pw_ids)`;
}

/** The ids that occur as a userId in the project (and in scope). */
export async function loadUserIds(tx: SqlSession, projectId: string, scope: IdScope): Promise<Set<string>> {
  const rows = await tx.all({
    sql: `SELECT DISTINCT user_id AS id FROM events
          WHERE project_id = $1 AND user_id IS NOT NULL AND ${inScope(scope, 'user_id')}`,
    params: [projectId],
  });
  return new Set(rows.map((r) => String(r.id)));
}

/**
 * Device switches: a device id seen with a user id (an identified event carries both; an alias
 * whose previousId is not a user id links that device), kept where the user differs from the one
 * the device had just before. Ties in time are broken by message id so the order is total.
 */
export async function loadDeviceSwitches(
  tx: SqlSession,
  projectId: string,
  scope: IdScope,
): Promise<DeviceSwitch[]> {
  const rows = await tx.all({
    sql: `WITH links AS (
            SELECT anonymous_id AS anon, user_id AS uid, timestamp AS ts, message_id FROM events
            WHERE project_id = $1 AND user_id IS NOT NULL AND anonymous_id IS NOT NULL
              AND anonymous_id <> user_id AND ${inScope(scope, 'anonymous_id')}
            UNION ALL
            SELECT previous_id, distinct_id, timestamp, message_id FROM events
            WHERE project_id = $1 AND type = 'alias' AND previous_id IS NOT NULL
              AND previous_id <> distinct_id AND ${inScope(scope, 'previous_id')}
          ),
          device_links AS (
            SELECT * FROM links
            WHERE anon NOT IN (SELECT user_id FROM events WHERE project_id = $1 AND user_id IS NOT NULL)
          )
          SELECT anon, uid, epoch_us(ts) AS us FROM (
            SELECT anon, uid, ts, message_id,
                   lag(uid) OVER (PARTITION BY anon ORDER BY ts, message_id) AS prev
            FROM device_links
          ) WHERE prev IS DISTINCT FROM uid
          ORDER BY anon, ts, message_id`,
    params: [projectId],
  });
  return rows.map((r) => ({ anonymousId: String(r.anon), userId: String(r.uid), atUs: Number(r.us) }));
}

/** Alias calls whose previousId is itself a user id: explicit merges of two users. */
export async function loadUserAliases(
  tx: SqlSession,
  projectId: string,
  scope: IdScope,
): Promise<UserAlias[]> {
  const rows = await tx.all({
    sql: `SELECT DISTINCT previous_id, distinct_id FROM events
          WHERE project_id = $1 AND type = 'alias' AND previous_id IS NOT NULL
            AND previous_id <> distinct_id
            AND (${inScope(scope, 'previous_id')} OR ${inScope(scope, 'distinct_id')})
            AND previous_id IN (SELECT user_id FROM events WHERE project_id = $1 AND user_id IS NOT NULL)`,
    params: [projectId],
  });
  return rows.map((r) => ({ previousId: String(r.previous_id), userId: String(r.distinct_id) }));
}
