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
 * `newEvents` holds the new rows: `rid` (events rowid), `person_id`, `timestamp`, `session_id`,
 * `client_session_id` and the session source columns; `changedPersons` has a `person_id` column;
 * `wholePersons` (optional) lists persons (`person_id`) whose every events row is copied, with
 * the same columns, in `rows`, so that their rows need no scan of events.
 */
export interface SessionScope {
  readonly newEvents: string;
  readonly changedPersons: string;
  readonly wholePersons?: { readonly persons: string; readonly rows: string };
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
 * starting before the cutoff ends more than a timeout before any new event, so it stands; when
 * no session ends that late (is_new_only), no earlier server-sessionized row lies past the cutoff.
 */
async function stageScope(tx: SqlSession, p: SessionProject, scope: SessionScope): Promise<void> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_scope AS
          WITH fresh AS (
            SELECT person_id, min(timestamp) AS first_new FROM ${scope.newEvents}
            WHERE client_session_id IS NULL
              AND person_id NOT IN (SELECT person_id FROM ${scope.changedPersons})
            GROUP BY person_id
          ),
          touched AS (
            SELECT f.person_id, f.first_new, min(s.start_ts) AS first_start FROM fresh f
            LEFT JOIN sessions s ON s.project_id = $1 AND s.person_id = f.person_id
              AND NOT s.is_client_session AND s.end_ts >= f.first_new - to_microseconds($2)
            GROUP BY f.person_id, f.first_new
          )
          SELECT person_id, least(first_new, coalesce(first_start, first_new)) AS cutoff,
                 first_start IS NULL AS is_new_only FROM touched
          UNION ALL SELECT person_id, NULL, false FROM ${scope.changedPersons}`,
    params: [p.projectId, Math.round(p.sessions.timeoutSec * 1_000_000)],
  });
}

/** Sessionizes every server-sessionized row of the project (a rebuild). */
async function rewriteServerSessions(tx: SqlSession, p: SessionProject): Promise<number> {
  const inScope = 'events e WHERE e.project_id = $1 AND e.client_session_id IS NULL';
  const from = `(SELECT e.rowid AS rid, e.person_id, e.timestamp AS ts, e.message_id, e.type, e.utm_source, e.utm_medium,
    e.utm_campaign FROM ${inScope})`;
  const params = p.sessions.isSplitAtMidnight ? [p.projectId, p.timeZone] : [p.projectId];
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_assign AS ${assignmentSql(from, p.sessions)}`,
    params,
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

/**
 * A time below which no row in scope lies, as a literal (row groups whose timestamps all lie
 * below it are skipped), or 'true' when a person in scope is taken from the start.
 */
async function earliestCutoff(tx: SqlSession): Promise<string> {
  const rows = await tx.all({
    sql: `SELECT strftime(min(cutoff), '%Y-%m-%d %H:%M:%S.%f') AS t, bool_or(cutoff IS NULL) AS is_whole
          FROM pw_sess_rest`,
  });
  const t = rows[0]?.t;
  if (rows[0]?.is_whole !== false || typeof t !== 'string' || !/^[0-9 :.-]+$/.test(t)) return 'true';
  return `e.timestamp >= TIMESTAMP '${t}'`;
}

const rowColumns = (t: string, key: string) =>
  `${t === 'e' ? 'e.rowid AS rid' : `${t}.rid`}, ${t}.session_id AS old_session_id, ${t}.person_id, ${t}.timestamp AS ts, ${key} AS k, ${SESSION_SOURCE_COLUMNS.map((c) => `${t}.${c}`).join(', ')}`;

/**
 * Copies the rows in scope, with what the split and the sessions rows need, into pw_sess_rows:
 * from the copies left by earlier steps where they hold every needed row (the new rows of a
 * person with no session near them; the whole rows of a recounted person), else from one scan of
 * events, pruned below the earliest cutoff.
 */
async function stageScopeRows(tx: SqlSession, p: SessionProject, scope: SessionScope): Promise<void> {
  const whole = scope.wholePersons;
  const key = (t: string) =>
    ORDER_KEY.replace('ts', `${t}.timestamp`).replace('message_id', `${t}.message_id`);
  const inCut = (t: string) =>
    `${t}.client_session_id IS NULL AND (s.cutoff IS NULL OR ${t}.timestamp >= s.cutoff)`;
  const notWhole = whole ? `AND s.person_id NOT IN (SELECT person_id FROM ${whole.persons})` : '';
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_rows AS
          SELECT ${rowColumns('n', key('n'))} FROM ${scope.newEvents} n JOIN pw_sess_scope s ON s.person_id = n.person_id
          WHERE s.is_new_only AND ${inCut('n')} ${notWhole}`,
  });
  if (whole) {
    await tx.run({
      sql: `INSERT INTO pw_sess_rows SELECT ${rowColumns('r', key('r'))}
            FROM ${whole.rows} r JOIN pw_sess_scope s ON s.person_id = r.person_id WHERE ${inCut('r')}`,
    });
  }
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_rest AS SELECT * FROM pw_sess_scope s WHERE NOT s.is_new_only ${notWhole}`,
  });
  const rest = await tx.all({ sql: 'SELECT count(*) AS n FROM pw_sess_rest' });
  if (Number(rest[0]?.n ?? 0) === 0) return;
  await tx.run({
    sql: `INSERT INTO pw_sess_rows SELECT ${rowColumns('e', KEY)}
          FROM events e JOIN pw_sess_rest s ON s.person_id = e.person_id
          WHERE e.project_id = $1 AND ${await earliestCutoff(tx)} AND ${inCut('e')}`,
    params: [p.projectId],
  });
}

/**
 * Re-sessionizes the rows in scope from their copy in pw_sess_rows; only the rows whose session
 * id changes are written back.
 */
async function resessionizeScope(tx: SqlSession, p: SessionProject, scope: SessionScope): Promise<number> {
  await stageScopeRows(tx, p, scope);
  const from =
    '(SELECT rid, person_id, ts, message_id, type, utm_source, utm_medium, utm_campaign FROM pw_sess_rows)';
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_assign AS ${assignmentSql(from, p.sessions, '$1')}`,
    params: p.sessions.isSplitAtMidnight ? [p.timeZone] : [],
  });
  await tx.run({
    sql: `DELETE FROM sessions WHERE rowid IN (
            SELECT s.rowid FROM sessions s JOIN pw_sess_scope c ON c.person_id = s.person_id
            WHERE s.project_id = $1 AND NOT s.is_client_session AND (c.cutoff IS NULL OR s.start_ts >= c.cutoff))`,
    params: [p.projectId],
  });
  await tx.run({
    sql: `UPDATE events SET session_id = a.session_id FROM (
            SELECT a.rid, a.session_id FROM pw_assign a JOIN pw_sess_rows r USING (rid)
            WHERE a.session_id IS DISTINCT FROM r.old_session_id
          ) a WHERE events.rowid = a.rid`,
  });
  const source = `(SELECT a.session_id, r.person_id, r.ts, r.k, ${SESSION_SOURCE_COLUMNS.map((c) => `r.${c}`).join(', ')}
    FROM pw_sess_rows r JOIN pw_assign a USING (rid))`;
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
  const all =
    'SELECT DISTINCT client_session_id FROM events WHERE project_id = $1 AND client_session_id IS NOT NULL';
  // The changed persons' earlier rows are looked up only when there are any.
  const changed = scope ? await tx.all({ sql: `SELECT count(*) AS n FROM ${scope.changedPersons}` }) : [];
  const moved = scope && Number(changed[0]?.n ?? 0) > 0;
  const ids = scope
    ? `SELECT client_session_id FROM ${scope.newEvents} WHERE client_session_id IS NOT NULL ${
        moved ? `UNION ${all} AND person_id IN (SELECT person_id FROM ${scope.changedPersons})` : ''
      }`
    : all;
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_client_ids AS ${ids}`,
    params: !scope || moved ? [p.projectId] : [],
  });
  if (scope) {
    const n = await tx.all({ sql: 'SELECT count(*) AS n FROM pw_client_ids' });
    if (Number(n[0]?.n ?? 0) === 0) return;
  }
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
  let serverEvents: number;
  if (scope) {
    await stageScope(tx, p, scope);
    serverEvents = await resessionizeScope(tx, p, scope);
  } else {
    await tx.run({ sql: 'DELETE FROM sessions WHERE project_id = $1', params: [p.projectId] });
    serverEvents = await rewriteServerSessions(tx, p);
  }
  await rewriteClientSessions(tx, p, scope);
  const after = await tx.all({
    sql: 'SELECT count(*) AS n FROM sessions WHERE project_id = $1',
    params: [p.projectId],
  });
  return { serverEvents, sessions: Number(after[0]?.n ?? 0) };
}
