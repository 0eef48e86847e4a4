import { ingestMessages, startIngest } from '../src/ingest/index.js';
import { processNewEvents } from '../src/server/index.js';
import type { Row, Warehouse } from '../src/store/index.js';

/** 2026-03-01T10:00:00Z plus minutes and seconds, as ISO-8601: the fixtures' clock. */
export function at(minutes: number, seconds = 0): string {
  return new Date(Date.UTC(2026, 2, 1, 10, minutes, seconds)).toISOString();
}

/**
 * Stores messages through the real ingest path (validation, normalization, group commit) and
 * runs an incremental identity and sessions pass after each batch, as the server does.
 */
export async function ingestAndProcess(
  wh: Warehouse,
  projectId: string,
  batches: readonly (readonly Record<string, unknown>[])[],
): Promise<void> {
  const writer = await startIngest(wh);
  try {
    for (const batch of batches) {
      const nowUs = Date.parse('2026-03-05T00:00:00Z') * 1000;
      // Receipt unknown: timestamps are kept as written in the fixture (no skew correction).
      const arrival = { projectId, receivedAtUs: nowUs, isReceiptKnown: false, insertedAtUs: nowUs };
      const outcome = await ingestMessages(writer, batch, arrival, { source: 'test' });
      if (outcome.rejected.length > 0) throw new Error(JSON.stringify(outcome.rejected));
      await processNewEvents(wh);
    }
  } finally {
    await writer.close();
  }
}

/** Sessions of a project as compact rows, by start then id. */
export async function sessionsOf(wh: Warehouse, projectId: string): Promise<Row[]> {
  return wh.all({
    sql: `SELECT session_id, person_id, start_ts, end_ts, event_count FROM sessions
          WHERE project_id = $1 ORDER BY start_ts, session_id`,
    params: [projectId],
  });
}

/** Every derived fact of a project: events' person and session, sessions, persons, id map. */
export async function derivedState(wh: Warehouse, projectId: string): Promise<Record<string, Row[]>> {
  const q = (sql: string) => wh.all({ sql, params: [projectId] });
  return {
    events: await q(
      'SELECT message_id, person_id, session_id FROM events WHERE project_id = $1 ORDER BY message_id',
    ),
    sessions: await q(
      'SELECT * EXCLUDE (project_id) FROM sessions WHERE project_id = $1 ORDER BY session_id',
    ),
    persons: await q('SELECT * EXCLUDE (project_id) FROM persons WHERE project_id = $1 ORDER BY person_id'),
    ids: await q(
      'SELECT distinct_id, person_id, valid_from, valid_to FROM person_distinct_ids WHERE project_id = $1 ORDER BY ALL',
    ),
  };
}
