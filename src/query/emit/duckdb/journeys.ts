import type { JourneyLabelsPlan, JourneySource, JourneysPlan, TouchPlan } from '../../plan/nodes.js';
import type { SessionTouchAttribute } from '../../spec/journeys.js';
import type { SqlOut } from '../sql-out.js';
import { fieldSql, numberSql, UNIT_KEY } from './base.js';
import { exprSql } from './expr.js';

/** A session's touch label per attribute; a visit without it is "(none)" (README, "Attribution"). */
const SESSION_LABEL: { readonly [K in SessionTouchAttribute]: string } = {
  channel: "coalesce(channel, '(none)')",
  utm_source: "coalesce(utm_source, '(none)')",
  utm_medium: "coalesce(utm_medium, '(none)')",
  utm_campaign: "coalesce(utm_campaign, '(none)')",
  referrer_domain: "coalesce(referrer_domain, '(none)')",
  source_medium: `CASE WHEN utm_source IS NULL AND utm_medium IS NULL THEN '(none)'
    ELSE coalesce(utm_source, '(not set)') || ' / ' || coalesce(utm_medium, '(not set)') END`,
};

interface Bounds {
  readonly project: string;
  readonly lo: string;
  readonly hi: string;
}

function boundsOf(s: JourneySource, o: SqlOut): Bounds {
  return {
    project: o.bind(s.scope.projectId),
    lo: o.bind({ timestampUs: s.scope.fromUs - s.lookbackUs }),
    hi: o.bind({ timestampUs: s.scope.toUs }),
  };
}

function eventLabel(t: Extract<TouchPlan, { kind: 'event' }>, o: SqlOut): string {
  return t.labelProperty === null
    ? 'event'
    : `coalesce(${fieldSql({ kind: 'prop', name: t.labelProperty }, o)}, event)`;
}

/**
 * Every touch that can be in a journey: touches from `lookback` before the range start (a
 * conversion early in the range looks back that far) to its end. Sessions are touches at their
 * start, when they have a channel (an event with a URL: server-side sessions, e.g. a CRM's
 * conversion alone, are not visits); touch events at their time. `tie` orders equal times.
 */
function touchesSql(s: JourneySource, b: Bounds, o: SqlOut): string {
  const parts: string[] = [];
  for (const t of s.touches) {
    if (t.kind !== 'session') continue;
    parts.push(`SELECT person_id AS u, epoch_us(start_ts) AS tus, session_id AS tie, ${SESSION_LABEL[t.attribute]} AS label
      FROM sessions WHERE project_id = ${b.project} AND start_ts >= ${b.lo} AND start_ts < ${b.hi}
        AND channel IS NOT NULL`);
  }
  const events = s.touches.filter((t) => t.kind === 'event');
  if (events.length > 0) {
    const matches = events.map((t) => `coalesce(${exprSql(t.match, o)}, FALSE)`);
    const label = events.map((t, i) => `WHEN ${matches[i]} THEN ${eventLabel(t, o)}`).join(' ');
    parts.push(`SELECT ${UNIT_KEY.person} AS u, epoch_us("timestamp") AS tus, message_id AS tie, CASE ${label} END AS label
      FROM events WHERE project_id = ${b.project} AND "timestamp" >= ${b.lo} AND "timestamp" < ${b.hi}
        AND (${matches.join(' OR ')})`);
  }
  return parts.join('\nUNION ALL\n');
}

/** Conversions from `lookback` before the range: earlier ones only end journeys (restart). */
function conversionsSql(s: JourneySource, b: Bounds, o: SqlOut): string {
  const value = s.valueProperty === null ? '0' : `coalesce(${numberSql(s.valueProperty, o)}, 0)`;
  return `SELECT ${UNIT_KEY.person} AS u, epoch_us("timestamp") AS cus, ${value}::DOUBLE AS value
    FROM events WHERE project_id = ${b.project} AND "timestamp" >= ${b.lo} AND "timestamp" < ${b.hi}
      AND ${exprSql(s.conversion, o)}`;
}

function withSource(s: JourneySource, o: SqlOut): string {
  const b = boundsOf(s, o);
  return `WITH touches AS (${touchesSql(s, b, o)}),
convs AS (${conversionsSql(s, b, o)})`;
}

/** Labels with their touch counts, and one row (label NULL) with the range's conversions and value. */
export function emitJourneyLabels(p: JourneyLabelsPlan, o: SqlOut): string {
  const from = o.bind(p.source.scope.fromUs);
  return `${withSource(p.source, o)}
SELECT label, count(*) AS n, NULL::DOUBLE AS value FROM touches GROUP BY label
UNION ALL
SELECT NULL AS label, count(*) AS n, coalesce(sum(value), 0) AS value FROM convs WHERE cus >= ${from}`;
}

/**
 * One row per journey. Each touch joins the person's first conversion at or after it (ASOF), so
 * journeys restart after a conversion; a converting journey keeps touches within the lookback
 * before its conversion. The touches after a person's last conversion form a non-converting
 * journey when the last of them is in the range (the caller keeps those within the lookback
 * before that last touch). Codes index the bound label list; other labels get the next code.
 */
export function emitJourneys(p: JourneysPlan, o: SqlOut): string {
  const s = p.source;
  const labels = o.bind(p.labels);
  const other = o.bind(p.labels.length);
  const from = o.bind(s.scope.fromUs);
  const to = o.bind(s.scope.toUs);
  const lookback = o.bind(s.lookbackUs);
  // One unordered list of (time, tie, code, seconds) per journey, sorted per list: DuckDB's
  // ordered aggregates (list(x ORDER BY …)) took 3–4x longer on a million journeys. The tie is
  // hashed: equal times are rare, and any fixed order of them will do.
  const secs = `((coalesce(cus, ${to}) - tus) // 1000000)::INTEGER`;
  return `${withSource(s, o)},
dict AS (SELECT ${labels}[i] AS label, (i - 1)::INTEGER AS code FROM range(1, len(${labels}) + 1) r(i)),
coded AS (SELECT t.u, t.tus, t.tie, coalesce(d.code, ${other}::INTEGER) AS code FROM touches t LEFT JOIN dict d ON d.label = t.label),
assigned AS (SELECT t.u, t.tus, t.tie, t.code, c.cus, c.value FROM coded t ASOF LEFT JOIN convs c ON t.u = c.u AND t.tus <= c.cus),
journeys AS (SELECT list_sort(list({'t': tus, 'i': hash(tie), 'c': code, 's': ${secs}})) AS j,
    cus IS NOT NULL AS converted, coalesce(any_value(value), 0) AS value
  FROM assigned
  WHERE cus IS NULL OR (cus >= ${from} AND tus >= cus - ${lookback})
  GROUP BY u, cus
  HAVING cus IS NOT NULL OR max(tus) >= ${from})
SELECT list_transform(j, x -> x.c) AS codes, list_transform(j, x -> x.s) AS secs, converted, value FROM journeys`;
}
