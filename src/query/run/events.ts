import { PathwiseError } from '../../core/index.js';
import { findProject, type Warehouse } from '../../store/index.js';
import { duckdbDialect } from '../emit/duckdb/index.js';
import { planEventList } from '../plan/planner.js';
import type { EventListQuery } from '../spec/events.js';

/** One event of the live tail; `properties` is the parsed JSON object. */
export interface ListedEvent {
  readonly messageId: string;
  readonly timestamp: string;
  readonly receivedAt: string;
  readonly type: string;
  readonly event: string | null;
  readonly distinctId: string;
  readonly personId: string;
  readonly sessionId: string | null;
  readonly url: string | null;
  readonly path: string | null;
  readonly channel: string | null;
  readonly deviceType: string | null;
  readonly browser: string | null;
  readonly os: string | null;
  readonly country: string | null;
  readonly properties: Record<string, unknown>;
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The newest events of a project, newest receipt first (README, "Dashboard"). */
export async function listEvents(
  wh: Warehouse,
  projectId: string,
  query: EventListQuery,
): Promise<ListedEvent[]> {
  const project = await findProject(wh, projectId);
  const sql = duckdbDialect.emit(planEventList(query, project.projectId));
  let rows: Awaited<ReturnType<Warehouse['all']>>;
  try {
    rows = await wh.all(sql);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PathwiseError('PW_QUERY_FAILED', { reason }, { cause: err });
  }
  return rows.map((r) => ({
    messageId: String(r.message_id),
    timestamp: String(r.timestamp),
    receivedAt: String(r.received_at),
    type: String(r.type),
    event: text(r.event),
    distinctId: String(r.distinct_id),
    personId: String(r.person_id),
    sessionId: text(r.session_id),
    url: text(r.url),
    path: text(r.path),
    channel: text(r.channel),
    deviceType: text(r.device_type),
    browser: text(r.browser),
    os: text(r.os),
    country: text(r.country),
    properties: r.properties ? (JSON.parse(String(r.properties)) as Record<string, unknown>) : {},
  }));
}
