import type { Row, Warehouse } from './warehouse.js';

/** A first look at a project's events: what `pathwise demo` prints. */
export interface EventSummary {
  readonly events: number;
  readonly distinctIds: number;
  readonly first: string | null;
  readonly last: string | null;
  readonly topEvents: readonly Row[];
  readonly channels: readonly Row[];
  readonly devices: readonly Row[];
}

/** Counts, range, top events, channels of landing page views and devices of a project. */
export async function summarizeEvents(wh: Warehouse, projectId: string): Promise<EventSummary> {
  const [totals] = await wh.all({
    sql: `SELECT count(*) AS events, count(DISTINCT distinct_id) AS ids, min(timestamp) AS first, max(timestamp) AS last
          FROM events WHERE project_id = $1`,
    params: [projectId],
  });
  const topEvents = await wh.all({
    sql: 'SELECT event, count(*) AS n FROM events WHERE project_id = $1 GROUP BY event ORDER BY n DESC, event LIMIT 10',
    params: [projectId],
  });
  // Channels of tagged or referred page views: internal page views are all 'direct'.
  const channels = await wh.all({
    sql: `SELECT channel, count(*) AS n FROM events
          WHERE project_id = $1 AND type = 'page' AND (utm_source IS NOT NULL OR referrer_domain IS NOT NULL OR channel <> 'direct')
          GROUP BY channel ORDER BY n DESC, channel`,
    params: [projectId],
  });
  const devices = await wh.all({
    sql: `SELECT device_type, count(DISTINCT distinct_id) AS ids FROM events
          WHERE project_id = $1 AND device_type IS NOT NULL GROUP BY device_type ORDER BY ids DESC, device_type`,
    params: [projectId],
  });
  return {
    events: Number(totals?.events ?? 0),
    distinctIds: Number(totals?.ids ?? 0),
    first: (totals?.first as string | null) ?? null,
    last: (totals?.last as string | null) ?? null,
    topEvents,
    channels,
    devices,
  };
}
