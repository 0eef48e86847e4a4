import type { TrendsSeriesPlan } from '../../plan/nodes.js';
import type { TrendsMath } from '../../spec/insights.js';
import type { SqlOut } from '../sql-out.js';
import {
  bucketOf,
  fieldSql,
  INTERVAL_SQL,
  localTime,
  numberSql,
  scopeWhere,
  UNIT_KEY,
  wallText,
} from './base.js';
import { exprSql } from './expr.js';

const ACTIVE_DAYS: Partial<Record<TrendsMath, number>> = { dau: 1, wau: 7, mau: 30 };

function aggregate(p: TrendsSeriesPlan, o: SqlOut): string {
  const value = p.property ? numberSql(p.property, o) : 'NULL';
  const table: { readonly [K in TrendsMath]: string } = {
    total: 'count(*)',
    unique_persons: `count(DISTINCT ${UNIT_KEY.person})`,
    unique_sessions: `count(DISTINCT ${UNIT_KEY.session})`,
    dau: '',
    wau: '',
    mau: '',
    sum: `sum(${value})`,
    avg: `avg(${value})`,
    min: `min(${value})`,
    max: `max(${value})`,
    median: `median(${value})`,
    p90: `quantile_cont(${value}, 0.9)`,
    p99: `quantile_cont(${value}, 0.99)`,
    per_person_avg: `count(*) / count(DISTINCT ${UNIT_KEY.person})`,
  };
  return table[p.math];
}

/** Every bucket of the range (for zero-filling) followed by the non-empty values. */
function bucketsCte(p: TrendsSeriesPlan, o: SqlOut): string {
  const tz = o.bind(p.scope.timeZone);
  const from = bucketOf(o.bind({ timestampUs: p.scope.fromUs }), p.interval, o, tz);
  const last = localTime(
    `(${o.bind({ timestampUs: p.scope.toUs })}::TIMESTAMP - INTERVAL 1 MICROSECOND)`,
    tz,
  );
  return `buckets AS (SELECT unnest(generate_series(${from}, ${last}, ${INTERVAL_SQL[p.interval]})) AS b)`;
}

/** Top-N breakdown values by event count; the rest become "$other" (README, "Insights"). */
function breakdownCtes(p: TrendsSeriesPlan, o: SqlOut): string {
  if (!p.breakdown) return 'labeled AS (SELECT *, NULL::VARCHAR AS bd FROM matched)';
  return `top AS (SELECT raw_bd FROM matched GROUP BY raw_bd ORDER BY count(*) DESC, raw_bd NULLS LAST LIMIT ${o.bind(p.breakdownLimit)}),
labeled AS (SELECT m.*, CASE WHEN t.raw_bd IS NOT NULL OR (m.raw_bd IS NULL AND EXISTS (SELECT 1 FROM top WHERE raw_bd IS NULL)) THEN m.raw_bd ELSE '$other' END AS bd
  FROM matched m LEFT JOIN top t ON t.raw_bd = m.raw_bd)`;
}

/** A trends series: `part = 'bucket'` rows list every bucket, `part = 'value'` rows the values. */
export function emitTrendsSeries(p: TrendsSeriesPlan, o: SqlOut): string {
  const tz = o.bind(p.scope.timeZone);
  const days = ACTIVE_DAYS[p.math];
  // Active users look back up to 29 local days before the range: a window ending on day 1 needs
  // them. One spare day covers a DST change; the join below keeps only the right local days.
  const scope = days ? { ...p.scope, fromUs: p.scope.fromUs - days * 86_400_000_000 } : p.scope;
  const bd = p.breakdown ? fieldSql(p.breakdown, o) : 'NULL::VARCHAR';
  const matched = `matched AS (SELECT *, ${bd} AS raw_bd FROM events WHERE ${scopeWhere(scope, o)} AND ${exprSql(p.match, o)})`;
  const head = `WITH ${bucketsCte(p, o)}, ${matched}, ${breakdownCtes(p, o)}`;
  const bucketRows = `SELECT 'bucket' AS part, ${wallText('b')} AS bucket, NULL::VARCHAR AS bd, NULL::DOUBLE AS value FROM buckets`;
  if (days) {
    const personDays = `SELECT DISTINCT ${UNIT_KEY.person} AS u, bd, date_trunc('day', ${localTime('"timestamp"', tz)}) AS d FROM labeled`;
    // A bucket's active units: those with an event in the N local days ending on its last day.
    const ends = `SELECT b, least(b + ${INTERVAL_SQL[p.interval]}, ${localTime(o.bind({ timestampUs: p.scope.toUs }), tz)}) - INTERVAL 1 MICROSECOND AS e FROM buckets`;
    return `${head}
${bucketRows}
UNION ALL
SELECT 'value', ${wallText('x.b')}, pd.bd, count(DISTINCT pd.u)::DOUBLE FROM (${ends}) x
  JOIN (${personDays}) pd ON pd.d <= x.e AND pd.d > date_trunc('day', x.e) - INTERVAL ${days} DAY
  GROUP BY x.b, pd.bd`;
  }
  const bucket = bucketOf('"timestamp"', p.interval, o, tz);
  return `${head}
${bucketRows}
UNION ALL
SELECT 'value', ${wallText(bucket)}, bd, (${aggregate(p, o)})::DOUBLE FROM labeled GROUP BY ${bucket}, bd`;
}
