import type { SessionSettings, SqlSession } from '../store/index.js';
import { assignmentSql, ORDER_KEY, SESSION_SOURCE_COLUMNS, sessionRowsSql } from './sql.js';

/** The project facts sessionization needs. */
export interface SessionProject {
  readonly projectId: string;
  readonly timeZone: string;
  readonly sessions: SessionSettings;
}

/**
 * Which rows a pass takes up, as temp tables of the same transaction (identity leaves them):
 * `newEvents` has a `rid` column (events rowids), `changedPersons` a `person_id` column.
 */
export interface SessionScope {
  readonly newEvents: string;
  readonly changedPersons: string;
}

/** What a pass of sessionization did. */
export interface SessionPass {
  /** Server-sessionized events (re)assigned. */
  readonly serverEvents: number;
  /** The project's sessions after the pass. */
  readonly sessions: number;
}

const COLS = SESSION_SOURCE_COLUMNS.map((c) => `e.${c}`).join(', ');
const KEY = ORDER_KEY.replace('ts', 'e.timestamp').replace('message_id', 'e.message_id');

/**
 * The persons to re-sessionize and from when: a person whose ids changed from the start
 * (cutoff NULL); a person with new events from the start of its earliest session that ends
 * within the timeout before its first new event (or that event). Every session of the person
 * starting before the cutoff ends more than a timeout before any new event, so it stands.
 */
async function stageScope(tx: SqlSession, p: SessionProject, scope: SessionScope | null): Promise<void> {
  if (!scope) {
    await tx.run({
      sql: `CREATE OR REPLACE TEMP TABLE pw_sess_scope AS
            SELECT DISTINCT person_id, NULL::TIMESTAMP AS cutoff FROM events WHERE project_id = $1`,
      params: [p.projectId],
    });
    return;
  }
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_scope AS
          WITH fresh AS (
            SELECT person_id, min(timestamp) AS first_new FROM events
            WHERE rowid IN (SELECT rid FROM ${scope.newEvents}) AND client_session_id IS NULL
              AND person_id NOT IN (SELECT person_id FROM ${scope.changedPersons})
            GROUP BY person_id
          ),
          touched AS (
            SELECT f.person_id, f.first_new, min(s.start_ts) AS first_start FROM fresh f
            LEFT JOIN sessions s ON s.project_id = $1 AND s.person_id = f.person_id
              AND NOT s.is_client_session AND s.end_ts >= f.first_new - to_microseconds($2)
            GROUP BY f.person_id, f.first_new
          )
          SELECT person_id, least(first_new, coalesce(first_start, first_new)) AS cutoff FROM touched
          UNION ALL SELECT person_id, NULL FROM ${scope.changedPersons}`,
    params: [p.projectId, Math.round(p.sessions.timeoutSec * 1_000_000)],
  });
}

async function rewriteServerSessions(tx: SqlSession, p: SessionProject, isFull: boolean): Promise<number> {
  const inScope = isFull
    ? `events e WHERE e.project_id = $1 AND e.client_session_id IS NULL`
    : `events e JOIN pw_sess_scope s ON s.person_id = e.person_id
       WHERE e.project_id = $1 AND e.client_session_id IS NULL AND (s.cutoff IS NULL OR e.timestamp >= s.cutoff)`;
  const from = `(SELECT e.rowid AS rid, e.person_id, e.timestamp AS ts, e.message_id, e.type, e.utm_source, e.utm_medium,
    e.utm_campaign FROM ${inScope})`;
  const params = p.sessions.isSplitAtMidnight ? [p.projectId, p.timeZone] : [p.projectId];
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_assign AS ${assignmentSql(from, p.sessions)}`,
    params,
  });
  await tx.run({
    sql: `DELETE FROM sessions WHERE project_id = $1 AND NOT is_client_session ${
      isFull
        ? ''
        : `AND EXISTS (SELECT 1 FROM pw_sess_scope s WHERE s.person_id = sessions.person_id
             AND (s.cutoff IS NULL OR sessions.start_ts >= s.cutoff))`
    }`,
    params: [p.projectId],
  });
  await tx.run({
    sql: 'UPDATE events SET session_id = a.session_id FROM pw_assign a WHERE events.rowid = a.rid',
  });
  // The rows in scope now carry their new session ids: aggregate them where they are.
  const source = `(SELECT e.session_id, e.person_id, e.timestamp AS ts, ${KEY} AS k, ${COLS} FROM ${inScope})`;
  await tx.run({
    sql: `INSERT INTO sessions BY NAME ${sessionRowsSql(source, false, '$2::VARCHAR[]')}`,
    params: [p.projectId, [...p.sessions.goalEvents]],
  });
  const rows = await tx.all({ sql: 'SELECT count(*) AS n FROM pw_assign' });
  return Number(rows[0]?.n ?? 0);
}

/** Client sessions are never split: one row per client session id that got new or moved events. */
async function rewriteClientSessions(
  tx: SqlSession,
  p: SessionProject,
  scope: SessionScope | null,
): Promise<void> {
  const ids = scope
    ? `SELECT DISTINCT client_session_id FROM events WHERE project_id = $1 AND client_session_id IS NOT NULL
       AND (rowid IN (SELECT rid FROM ${scope.newEvents}) OR person_id IN (SELECT person_id FROM ${scope.changedPersons}))`
    : `SELECT DISTINCT client_session_id FROM events WHERE project_id = $1 AND client_session_id IS NOT NULL`;
  await tx.run({ sql: `CREATE OR REPLACE TEMP TABLE pw_client_ids AS ${ids}`, params: [p.projectId] });
  await tx.run({
    sql: `DELETE FROM sessions WHERE project_id = $1 AND is_client_session
          AND session_id IN (SELECT client_session_id FROM pw_client_ids)`,
    params: [p.projectId],
  });
  const source = `(SELECT e.client_session_id AS session_id, e.person_id, e.timestamp AS ts, ${KEY} AS k, ${COLS}
    FROM events e WHERE e.project_id = $1 AND e.client_session_id IN (SELECT client_session_id FROM pw_client_ids))`;
  await tx.run({
    sql: `INSERT INTO sessions BY NAME ${sessionRowsSql(source, true, '$2::VARCHAR[]')}`,
    params: [p.projectId, [...p.sessions.goalEvents]],
  });
}

/**
 * Re-sessionizes what a pass of identity resolution touched (scope), or the whole project
 * (scope null), and writes events.session_id and the sessions rows.
 */
export async function sessionize(
  tx: SqlSession,
  p: SessionProject,
  scope: SessionScope | null,
): Promise<SessionPass> {
  if (scope) await stageScope(tx, p, scope);
  else await tx.run({ sql: 'DELETE FROM sessions WHERE project_id = $1', params: [p.projectId] });
  const serverEvents = await rewriteServerSessions(tx, p, scope === null);
  await rewriteClientSessions(tx, p, scope);
  const after = await tx.all({
    sql: 'SELECT count(*) AS n FROM sessions WHERE project_id = $1',
    params: [p.projectId],
  });
  return { serverEvents, sessions: Number(after[0]?.n ?? 0) };
}
