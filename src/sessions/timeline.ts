import type { Row, Warehouse } from '../store/index.js';

/** A person's sessions, each with its events in time order. */
export interface PersonTimeline {
  readonly sessions: readonly (Row & { readonly events: readonly Row[] })[];
  /** Sessions of the person beyond the limit. */
  readonly moreSessions: number;
}

/** The newest `limit` sessions of a person with their events (name, time, path). */
export async function listPersonTimeline(
  wh: Warehouse,
  projectId: string,
  personId: string,
  limit = 20,
): Promise<PersonTimeline> {
  const sessions = await wh.all({
    sql: `SELECT session_id, start_ts, end_ts, duration_sec, event_count, pageview_count, is_bounce,
                 entry_path, exit_path, channel, utm_campaign, device_type, goals
          FROM sessions WHERE project_id = $1 AND person_id = $2 ORDER BY start_ts DESC LIMIT $3`,
    params: [projectId, personId, limit],
  });
  const total = await wh.all({
    sql: 'SELECT count(*) AS n FROM sessions WHERE project_id = $1 AND person_id = $2',
    params: [projectId, personId],
  });
  const ids = sessions.map((s) => String(s.session_id));
  const events = await wh.all({
    sql: `SELECT session_id, timestamp, event, distinct_id, path FROM events
          WHERE project_id = $1 AND session_id IN (SELECT unnest($2::VARCHAR[])) ORDER BY timestamp, message_id`,
    params: [projectId, ids],
  });
  return {
    sessions: sessions.map((s) => ({ ...s, events: events.filter((e) => e.session_id === s.session_id) })),
    moreSessions: Math.max(0, Number(total[0]?.n ?? 0) - sessions.length),
  };
}
