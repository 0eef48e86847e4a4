import type { FunnelUnitsPlan, SegmentField } from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { fieldSql, UNIT_KEY } from './base.js';
import { funnelCtes, isStepEventSql } from './funnel.js';

/**
 * Fields read from the step event's row (its properties and columns, or its person's and
 * session's); the visit fields describe the chain's first session.
 */
function eventField(f: SegmentField): f is Exclude<SegmentField, { kind: 'sessionChannel' | 'userType' }> {
  return f.kind !== 'sessionChannel' && f.kind !== 'userType';
}

/** `base` columns the diagnosis needs besides the funnel's own. */
function baseExtras(p: FunnelUnitsPlan, o: SqlOut): string[] {
  const extras = [`${UNIT_KEY.person} AS pk`, 'session_id AS sid'];
  // Strict funnels already carry the message id (their tie-break).
  if (p.funnel.mode !== 'strict') extras.push('message_id AS mid');
  p.dimensions.forEach((f, i) => {
    if (eventField(f)) extras.push(`${fieldSql(f, o)} AS x${i}`);
  });
  return extras;
}

/**
 * Each unit's step-k event of its best chain, for every step k it reached below the last: the
 * event is found again in `base` by time and step condition (one per unit and step: the lowest
 * message id at that instant), with `nat` the time of step k+1 when reached.
 */
function pickCte(p: FunnelUnitsPlan): string {
  const n = p.funnel.steps.length;
  const xs = p.dimensions.flatMap((f, i) => (eventField(f) ? [`e.x${i}`] : []));
  const cols = ['t.u', 't.k', 't.at', 'nx.at AS nat', 't.start', 'e.pk', 'e.sid', ...xs].join(', ');
  return `pick AS MATERIALIZED (SELECT ${cols} FROM steps t
  JOIN base e ON e.u = t.u AND e.tus = t.at AND ${isStepEventSql(p.funnel, 'e', 't.k')}
  LEFT JOIN steps nx ON nx.u = t.u AND nx.k = t.k + 1
  WHERE t.k < ${n - 1}
  QUALIFY row_number() OVER (PARTITION BY t.u, t.k ORDER BY e.mid) = 1)`;
}

/**
 * The chain's first visit: its session (channel, start) and whether the person was seen before
 * it — "returning" means an event of the person earlier than that session's start (any time,
 * not only inside the range); without a session row, earlier than step 1. A person's first event
 * is `persons.first_seen` (identity keeps it over the processed events) or, for events the
 * background pass has not processed yet, their earliest time.
 */
function visitCtes(p: FunnelUnitsPlan, o: SqlOut): string[] {
  const needsVisit = p.dimensions.some((f) => !eventField(f));
  if (!needsVisit) return [];
  const project = o.bind(p.funnel.scope.projectId);
  const to = o.bind({ timestampUs: p.funnel.scope.toUs });
  return [
    `pending AS MATERIALIZED (SELECT distinct_id AS pk, min(epoch_us("timestamp")) AS first_us FROM events
  WHERE project_id = ${project} AND person_id IS NULL AND "timestamp" < ${to} GROUP BY 1)`,
    `visit AS MATERIALIZED (SELECT s.u, ss.channel,
    CASE WHEN least(epoch_us(pp.first_seen), f.first_us) < coalesce(epoch_us(ss.start_ts), s.at) THEN 'returning' ELSE 'new' END AS user_type
  FROM pick s LEFT JOIN sessions ss ON ss.project_id = ${project} AND ss.session_id = s.sid
  LEFT JOIN persons pp ON pp.project_id = ${project} AND pp.person_id = s.pk
  LEFT JOIN pending f ON f.pk = s.pk WHERE s.k = 0)`,
  ];
}

function dimensionSql(f: SegmentField, i: number): string {
  if (eventField(f)) return `s.x${i}`;
  return f.kind === 'sessionChannel' ? 'v.channel' : 'v.user_type';
}

/**
 * The funnel's CTEs and `us(u, k, tk, start, cw, ch, mature, d0, d1, …)`: one row per unit and
 * step k < last it reached (`tk` its time). `cw`: reached step k+1 (the funnel's own conversion, within the
 * window); `ch`: reached it within the horizon; `mature`: step k is at least the horizon before
 * the range end, so `ch` is not cut short by the end of the data.
 */
export function unitStepCtes(p: FunnelUnitsPlan, o: SqlOut): string {
  const h = o.bind(p.horizonUs);
  const dims = p.dimensions.map((f, i) => `${dimensionSql(f, i)} AS d${i}`);
  const visit = visitCtes(p, o);
  const join = visit.length > 0 ? 'LEFT JOIN visit v ON v.u = s.u' : '';
  const cols = [
    's.u',
    's.k',
    's.at AS tk',
    's.start',
    's.nat IS NOT NULL AS cw',
    `coalesce(s.nat - s.at <= ${h}, FALSE) AS ch`,
    `s.at <= ${o.bind(p.funnel.scope.toUs)} - ${h} AS mature`,
    ...dims,
  ];
  const ctes = [pickCte(p), ...visit, `us AS MATERIALIZED (SELECT ${cols.join(', ')} FROM pick s ${join})`];
  return `${funnelCtes(p.funnel, o, baseExtras(p, o))},\n${ctes.join(',\n')}`;
}
