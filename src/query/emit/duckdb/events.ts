import type { EventListPlan } from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { UNIT_KEY } from './base.js';
import { exprSql } from './expr.js';

/** The newest events by receipt time (what arrived last is on top of a live tail). */
export function emitEventList(p: EventListPlan, o: SqlOut): string {
  const where = [`project_id = ${o.bind(p.projectId)}`];
  if (p.match) where.push(exprSql(p.match, o));
  if (p.person !== null) {
    const person = o.bind(p.person);
    where.push(`(${UNIT_KEY.person} = ${person} OR distinct_id = ${person})`);
  }
  return `SELECT message_id, "timestamp", received_at, type, event, distinct_id, ${UNIT_KEY.person} AS person_id,
  session_id, url, path, channel, device_type, browser, os, country, properties
FROM events WHERE ${where.join(' AND ')}
ORDER BY received_at DESC, "timestamp" DESC, message_id DESC LIMIT ${o.bind(p.limit)}`;
}
