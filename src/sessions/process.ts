import type { SessionSettings, SqlSession } from '../store/index.js';
import {
  assignmentSql,
  ORDER_KEY,
  SESSION_DEVICE_COLUMNS,
  SESSION_LANDING_COLUMNS,
  SESSION_SOURCE_COLUMNS,
  sessionRowsSql,
} from './sql.js';

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
 * The persons to re-sessionize and over which time range [cutoff, stop): a person whose ids
 * changed entirely (both NULL); a person with new events over its visits that the new events
 * touch. A visit starts at a stored session that begins more than a timeout after the previous
 * one ends (a "head"): the range starts at the first new event when the sessions before it end
 * more than a timeout earlier, else at the last head before it, and stops at the first head
 * whose previous session ends at or after the last new event. Such a gap holds no new event on either side, so the visits before and after it
 * are sessionized as before (with a split at midnight a visit may also start at a day change;
 * taking only gaps is conservative). When no stored session starts in the range (is_new_only),
 * the new rows are all the rows in scope.
 */
async function stageScope(tx: SqlSession, p: SessionProject, scope: SessionScope): Promise<void> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_scope AS
          WITH fresh AS (
            SELECT person_id, min(timestamp) AS first_new, max(timestamp) AS last_new FROM ${scope.newEvents}
            WHERE client_session_id IS NULL
              AND person_id NOT IN (SELECT person_id FROM ${scope.changedPersons})
            GROUP BY person_id
          ),
          stored AS (
            SELECT s.person_id, s.start_ts, s.end_ts,
                   lag(s.end_ts) OVER (PARTITION BY s.person_id ORDER BY s.start_ts) AS prev_end
            FROM sessions s WHERE s.project_id = $1 AND NOT s.is_client_session
              AND s.person_id IN (SELECT person_id FROM fresh)
          ),
          heads AS (
            SELECT *, prev_end IS NULL OR epoch_us(start_ts) - epoch_us(prev_end) > $2 AS is_head FROM stored
          ),
          bounds AS (
            SELECT f.person_id, f.first_new,
                   max(h.start_ts) FILTER (WHERE h.is_head AND h.start_ts <= f.first_new) AS first_head,
                   max(h.end_ts) FILTER (WHERE h.start_ts <= f.first_new) AS end_before,
                   min(h.start_ts) FILTER (WHERE h.is_head AND h.prev_end >= f.last_new) AS stop
            FROM fresh f LEFT JOIN heads h ON h.person_id = f.person_id
            GROUP BY f.person_id, f.first_new
          ),
          ranged AS (
            SELECT person_id, stop, CASE WHEN end_before IS NULL OR epoch_us(first_new) - epoch_us(end_before) > $2
              THEN first_new ELSE first_head END AS cutoff
            FROM bounds
          )
          SELECT r.person_id, r.cutoff, r.stop,
                 count(s.person_id) FILTER (WHERE s.start_ts >= r.cutoff AND (r.stop IS NULL OR s.start_ts < r.stop)) = 0
                   AS is_new_only
          FROM ranged r LEFT JOIN stored s ON s.person_id = r.person_id
          GROUP BY r.person_id, r.cutoff, r.stop
          UNION ALL SELECT person_id, NULL, NULL, false FROM ${scope.changedPersons}`,
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

/** A time as a SQL literal (a literal prunes row groups by their min/max; a bound value does not). */
function timeLiteral(t: unknown): string | null {
  return typeof t === 'string' && /^[0-9 :.-]+$/.test(t) ? `TIMESTAMP '${t}'` : null;
}

/**
 * Bounds on the time of every row in scope, as literals ('true' when a person in scope is taken
 * whole): row groups outside them are skipped.
 */
async function scopeTimeBounds(tx: SqlSession): Promise<string> {
  const fmt = (c: string) => `strftime(${c}, '%Y-%m-%d %H:%M:%S.%f')`;
  const rows = await tx.all({
    sql: `SELECT ${fmt('min(cutoff)')} AS lo, bool_or(cutoff IS NULL) AS is_from_start,
            ${fmt('max(stop)')} AS hi, bool_or(stop IS NULL) AS is_to_end FROM pw_sess_rest`,
  });
  const r = rows[0] ?? {};
  const lo = r.is_from_start === false ? timeLiteral(r.lo) : null;
  const hi = r.is_to_end === false ? timeLiteral(r.hi) : null;
  return [lo && `e.timestamp >= ${lo}`, hi && `e.timestamp < ${hi}`].filter(Boolean).join(' AND ') || 'true';
}

/** What the split reads of a row, and where the row's other columns are ('n', 'w' or 'e'). */
const splitColumns = (t: string, src: string) =>
  `${t === 'e' ? 'e.rowid' : `${t}.rid`} AS rid, '${src}' AS src, ${t}.session_id AS old_session_id, ${t}.person_id,
   ${t}.timestamp AS ts, ${t}.message_id, ${t}.type, ${t}.utm_source, ${t}.utm_medium, ${t}.utm_campaign`;

/**
 * Copies what the split reads of the rows in scope into pw_sess_rows: from the copies left by
 * earlier steps where they hold every needed row (the new rows of a person with no stored
 * session in range, src 'n'; the rows of a recounted person, 'w'), else from one scan of events
 * ('e') that reads only the person, time and client session columns of rows outside the time
 * bounds of the scope.
 */
async function stageScopeRows(tx: SqlSession, p: SessionProject, scope: SessionScope): Promise<void> {
  const whole = scope.wholePersons;
  const inRange = (t: string) =>
    `${t}.client_session_id IS NULL AND (s.cutoff IS NULL OR ${t}.timestamp >= s.cutoff)
     AND (s.stop IS NULL OR ${t}.timestamp < s.stop)`;
  const notWhole = whole ? `AND s.person_id NOT IN (SELECT person_id FROM ${whole.persons})` : '';
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_rows AS
          SELECT ${splitColumns('n', 'n')} FROM ${scope.newEvents} n JOIN pw_sess_scope s ON s.person_id = n.person_id
          WHERE s.is_new_only AND ${inRange('n')} ${notWhole}`,
  });
  if (whole) {
    await tx.run({
      sql: `INSERT INTO pw_sess_rows SELECT ${splitColumns('r', 'w')}
            FROM ${whole.rows} r JOIN pw_sess_scope s ON s.person_id = r.person_id WHERE ${inRange('r')}`,
    });
  }
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_rest AS SELECT * FROM pw_sess_scope s WHERE NOT s.is_new_only ${notWhole}`,
  });
  const rest = await tx.all({ sql: 'SELECT count(*) AS n FROM pw_sess_rest' });
  if (Number(rest[0]?.n ?? 0) === 0) return;
  await tx.run({
    sql: `INSERT INTO pw_sess_rows SELECT ${splitColumns('e', 'e')}
          FROM events e JOIN pw_sess_rest s ON s.person_id = e.person_id
          WHERE e.project_id = $1 AND ${await scopeTimeBounds(tx)} AND ${inRange('e')}`,
    params: [p.projectId],
  });
}

const wideColumns = (t: string) =>
  `${t}.person_id, ${t}.timestamp AS ts, ${ORDER_KEY.replace('ts', `${t}.timestamp`).replace('message_id', `${t}.message_id`)} AS k,
   ${SESSION_SOURCE_COLUMNS.map((c) => `${t}.${c}`).join(', ')}`;

/**
 * The sessions whose rows changed (pw_sess_dirty): those a row of the scope left or joined, and
 * every session of a person whose ids changed (its rows may have moved to it whole). The other
 * sessions in scope have the same rows as before, so their stored rows stand.
 */
async function stageDirtySessions(tx: SqlSession): Promise<void> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_dirty AS
          WITH moved AS (
            SELECT a.session_id, r.old_session_id FROM pw_assign a JOIN pw_sess_rows r USING (rid)
            JOIN pw_sess_scope s ON s.person_id = r.person_id
            WHERE a.session_id IS DISTINCT FROM r.old_session_id OR s.cutoff IS NULL
          )
          SELECT session_id FROM moved UNION SELECT old_session_id FROM moved WHERE old_session_id IS NOT NULL`,
  });
}

/**
 * The dirty sessions' rows (pw_sess_members) and which of them are a stored session plus new
 * rows (pw_sess_merge: every row of one stored session, whose keys are known, and at least one
 * new row; not for a person whose ids changed).
 */
async function stageMembers(tx: SqlSession, p: SessionProject): Promise<void> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_members AS
          SELECT r.rid, r.src, r.person_id, a.session_id, r.old_session_id FROM pw_assign a JOIN pw_sess_rows r USING (rid)
          WHERE a.session_id IN (SELECT session_id FROM pw_sess_dirty)`,
  });
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_sess_merge AS
          WITH grouped AS (
            SELECT session_id, any_value(old_session_id) AS old_id, count(old_session_id) AS n_old
            FROM pw_sess_members
            WHERE person_id NOT IN (SELECT person_id FROM pw_sess_scope WHERE cutoff IS NULL)
            GROUP BY session_id HAVING count(DISTINCT old_session_id) = 1 AND count(*) > count(old_session_id)
          )
          SELECT g.session_id, g.old_id FROM grouped g
          JOIN sessions s ON s.project_id = $1 AND s.session_id = g.old_id AND NOT s.is_client_session
          WHERE s.interaction_count IS NOT NULL AND s.event_count = g.n_old`,
    params: [p.projectId],
  });
}

/**
 * Which stored sessions (alias x) the new rows' sessions row (alias n, with each attribute's own
 * key) can be merged into: every new row that has an entry or landing attribute comes after
 * the latest event those came from, and every one that has an exit attribute before the
 * earliest, unless the stored attribute is NULL (then no stored row had it, and the new value
 * is the session's).
 */
function isMergeableSql(): string {
  const after = (cols: readonly string[], key: string) =>
    cols.map((c) => `(x.${c} IS NULL OR n.${c}_k IS NULL OR n.${c}_k > x.${key})`);
  const before = ['exit_url', 'exit_path'].map(
    (c) => `(x.${c} IS NULL OR n.${c}_k IS NULL OR n.${c}_k < x.exit_key)`,
  );
  return [
    ...after(['entry_url', 'entry_path'], 'entry_key'),
    ...before,
    ...after(SESSION_LANDING_COLUMNS, 'landing_key'),
  ].join(' AND ');
}

/**
 * A stored session (alias x) with new rows' sessions row (alias n) merged in: counts add up, a
 * device attribute comes from whichever side holds the earlier event, the others keep the stored
 * value unless it is NULL (isMergeableSql).
 */
function mergedSessionSql(): string {
  const first = (key: string) => `(n.${key} IS NOT NULL AND (x.${key} IS NULL OR n.${key} < x.${key}))`;
  const pick = (cols: readonly string[], isNew: string) =>
    cols.map((c) => `CASE WHEN ${isNew} THEN n.${c} ELSE x.${c} END AS ${c}`).join(', ');
  const kept = (cols: readonly string[], key: string, pickKey: 'greatest' | 'least') =>
    `${cols.map((c) => `coalesce(x.${c}, n.${c}) AS ${c}`).join(', ')},
    ${pickKey}(x.${key}, ${cols.map((c) => `CASE WHEN x.${c} IS NULL THEN n.${c}_k END`).join(', ')}) AS ${key}`;
  return `SELECT x.project_id, m.session_id, n.person_id, false AS is_client_session,
    least(x.start_ts, n.start_ts) AS start_ts, greatest(x.end_ts, n.end_ts) AS end_ts,
    (epoch_us(greatest(x.end_ts, n.end_ts)) - epoch_us(least(x.start_ts, n.start_ts))) / 1e6 AS duration_sec,
    x.event_count + n.event_count AS event_count, x.pageview_count + n.pageview_count AS pageview_count,
    x.interaction_count + n.interaction_count AS interaction_count,
    (x.pageview_count + n.pageview_count = 1 AND x.interaction_count + n.interaction_count = 1) AS is_bounce,
    ${kept(['entry_url', 'entry_path'], 'entry_key', 'greatest')},
    ${kept(['exit_url', 'exit_path'], 'exit_key', 'least')},
    ${kept(SESSION_LANDING_COLUMNS, 'landing_key', 'greatest')},
    ${SESSION_DEVICE_COLUMNS.map((c) => pick([c, `${c}_key`], first(`${c}_key`))).join(',\n    ')},
    list_sort(list_distinct(list_concat(x.goals, n.goals))) AS goals
  FROM pw_sess_merge m JOIN pw_sess_new_part n ON n.session_id = m.session_id
  JOIN sessions x ON x.project_id = n.project_id AND x.session_id = m.old_id AND NOT x.is_client_session`;
}

/**
 * Writes the dirty sessions: a stored session plus new rows by merging the new rows' sessions
 * row into the stored one; any other from every column of its rows (the new rows and the
 * recounted persons' rows from their copies, the other rows from events by rowid). The stored
 * rows of the dirty sessions are deleted in between.
 */
async function writeDirtySessions(tx: SqlSession, p: SessionProject, scope: SessionScope): Promise<void> {
  await stageMembers(tx, p);
  const goals = [...p.sessions.goalEvents];
  const newRows = (where: string) =>
    `SELECT m.session_id, ${wideColumns('n')} FROM pw_sess_members m JOIN ${scope.newEvents} n ON n.rid = m.rid
     WHERE m.old_session_id IS NULL AND ${where}`;
  const merged = 'm.session_id IN (SELECT session_id FROM pw_sess_merge)';
  const toMerge = await tx.all({ sql: 'SELECT count(*) AS n FROM pw_sess_merge' });
  const isMerging = Number(toMerge[0]?.n ?? 0) > 0;
  if (isMerging) {
    await tx.run({
      sql: `CREATE OR REPLACE TEMP TABLE pw_sess_new_part AS ${sessionRowsSql(`(${newRows(merged)})`, false, '$2::VARCHAR[]', true)}`,
      params: [p.projectId, goals],
    });
    // Sessions whose new rows come before a stored attribute's event are written from all rows.
    await tx.run({
      sql: `DELETE FROM pw_sess_merge WHERE session_id NOT IN (
              SELECT m.session_id FROM pw_sess_merge m JOIN pw_sess_new_part n ON n.session_id = m.session_id
              JOIN sessions x ON x.project_id = $1 AND x.session_id = m.old_id AND NOT x.is_client_session
              WHERE ${isMergeableSql()})`,
      params: [p.projectId],
    });
    await tx.run({ sql: `CREATE OR REPLACE TEMP TABLE pw_sess_merged AS ${mergedSessionSql()}` });
  }
  await tx.run({
    sql: `DELETE FROM sessions WHERE project_id = $1 AND NOT is_client_session
            AND session_id IN (SELECT session_id FROM pw_sess_dirty)`,
    params: [p.projectId],
  });
  if (isMerging) await tx.run({ sql: 'INSERT INTO sessions BY NAME SELECT * FROM pw_sess_merged' });
  const rest = `NOT ${merged}`;
  const parts = [newRows(rest)];
  if (scope.wholePersons) {
    parts.push(
      `SELECT m.session_id, ${wideColumns('w')} FROM pw_sess_members m JOIN ${scope.wholePersons.rows} w ON w.rid = m.rid
       WHERE m.old_session_id IS NOT NULL AND m.src = 'w' AND ${rest}`,
    );
  }
  const fromEvents = await tx.all({
    sql: `SELECT count(*) AS n, min(rid) AS first FROM pw_sess_members m
          WHERE m.old_session_id IS NOT NULL AND m.src = 'e' AND ${rest}`,
  });
  const first = Number(fromEvents[0]?.first ?? 0);
  if (Number(fromEvents[0]?.n ?? 0) > 0 && Number.isSafeInteger(first)) {
    parts.push(
      `SELECT m.session_id, ${wideColumns('e')} FROM events e JOIN pw_sess_members m ON m.rid = e.rowid
       WHERE e.rowid >= ${first} AND m.old_session_id IS NOT NULL AND m.src = 'e' AND ${rest}`,
    );
  }
  await tx.run({
    sql: `INSERT INTO sessions BY NAME ${sessionRowsSql(`(${parts.join(' UNION ALL ')})`, false, '$2::VARCHAR[]')}`,
    params: [p.projectId, goals],
  });
}

/**
 * Re-sessionizes the rows in scope from their copy in pw_sess_rows; only the rows whose session
 * id changes are written back, and only the sessions whose rows changed are written again.
 */
async function resessionizeScope(tx: SqlSession, p: SessionProject, scope: SessionScope): Promise<number> {
  await stageScopeRows(tx, p, scope);
  const from =
    '(SELECT rid, person_id, ts, message_id, type, utm_source, utm_medium, utm_campaign FROM pw_sess_rows)';
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_assign AS ${assignmentSql(from, p.sessions, '$1')}`,
    params: p.sessions.isSplitAtMidnight ? [p.timeZone] : [],
  });
  await stageDirtySessions(tx);
  await tx.run({
    sql: `UPDATE events SET session_id = a.session_id FROM (
            SELECT a.rid, a.session_id FROM pw_assign a JOIN pw_sess_rows r USING (rid)
            WHERE a.session_id IS DISTINCT FROM r.old_session_id
          ) a WHERE events.rowid = a.rid`,
  });
  await writeDirtySessions(tx, p, scope);
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
