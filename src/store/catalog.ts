import type { Warehouse } from './warehouse.js';

/** What a project's events are called and which properties they carry: suggestions for builders. */
export interface EventCatalog {
  /** Event names by number of events, most frequent first. */
  readonly events: readonly { readonly name: string; readonly count: number }[];
  /** Top-level property keys seen in the newest events (of one event name when asked). */
  readonly properties: readonly string[];
}

/** Newest events read for property keys: enough to see every key of a tracking plan. */
const PROPERTY_SAMPLE = 5000;

/** Event names with counts (up to `limit`) and property keys of recent events. */
export async function readEventCatalog(
  wh: Warehouse,
  projectId: string,
  options: { readonly event?: string | undefined; readonly limit?: number | undefined } = {},
): Promise<EventCatalog> {
  const events = await wh.all({
    sql: `SELECT event AS name, count(*) AS count FROM events WHERE project_id = $1 AND event IS NOT NULL
          GROUP BY event ORDER BY count DESC, event LIMIT $2`,
    params: [projectId, options.limit ?? 500],
  });
  const properties = await wh.all({
    sql: `SELECT DISTINCT unnest(json_keys(properties)) AS key FROM (
            SELECT properties FROM events
            WHERE project_id = $1 AND ($2::VARCHAR IS NULL OR event = $2) AND properties IS NOT NULL
            ORDER BY received_at DESC LIMIT $3)
          ORDER BY key`,
    params: [projectId, options.event ?? null, PROPERTY_SAMPLE],
  });
  return {
    events: events.map((r) => ({ name: String(r.name), count: Number(r.count) })),
    properties: properties.map((r) => String(r.key)),
  };
}
