import type { RetentionPlan } from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { bucketOf, localTime, scopeWhere, suppressedSql, UNIT_KEY, wallText } from './base.js';
import { exprSql } from './expr.js';

/**
 * Cohort sizes (`n = 0`) and, per cohort and period offset N >= 1, the units with a return
 * event in period cohort + N (ARCHITECTURE.md, "Retention"). For unbounded retention the
 * row carries each unit's furthest return offset; the runner accumulates "N or later".
 */
export function emitRetention(p: RetentionPlan, o: SqlOut): string {
  const tz = o.bind(p.scope.timeZone);
  const key = UNIT_KEY.person;
  const per = bucketOf('"timestamp"', p.period, o, tz);
  const project = `project_id = ${o.bind(p.scope.projectId)}${suppressedSql(p.scope, o)}`;
  const to = o.bind({ timestampUs: p.scope.toUs });
  const fromBucket = bucketOf(o.bind({ timestampUs: p.scope.fromUs }), p.period, o, tz);
  // First-time cohorts look at all history before the range end: a unit's first start event
  // may predate the range, and then it is in no cohort of this range.
  const cohorts =
    p.cohort === 'first_time'
      ? `SELECT u, cohort FROM (SELECT ${key} AS u, min(${per}) AS cohort FROM events WHERE ${project} AND "timestamp" < ${to} AND ${key} IS NOT NULL AND ${exprSql(p.start, o)} GROUP BY u) WHERE cohort >= ${fromBucket}`
      : `SELECT DISTINCT ${key} AS u, ${per} AS cohort FROM events WHERE ${scopeWhere(p.scope, o)} AND ${key} IS NOT NULL AND ${exprSql(p.start, o)}`;
  const returns = `SELECT DISTINCT ${key} AS u, ${per} AS per FROM events WHERE ${project} AND "timestamp" >= ${o.bind({ timestampUs: p.scope.fromUs })} AND ${key} IS NOT NULL AND ${exprSql(p.ret, o)}`;
  const offset = `date_diff(${o.bind(p.period)}, c.cohort, r.per)`;
  return `WITH cohorts AS MATERIALIZED (${cohorts}),
rets AS (${returns}),
hits AS (SELECT c.u, c.cohort, ${offset} AS n FROM cohorts c JOIN rets r ON r.u = c.u AND r.per > c.cohort),
periods AS (SELECT unnest(generate_series(${fromBucket}, ${localTime(`(${to}::TIMESTAMP - INTERVAL 1 MICROSECOND)`, tz)}, ${o.bind(`1 ${p.period}`)}::INTERVAL)) AS b)
SELECT 'period' AS part, ${wallText('b')} AS cohort, NULL::BIGINT AS n, NULL::BIGINT AS units FROM periods
UNION ALL
SELECT 'size', ${wallText('cohort')}, 0, count(*) FROM cohorts GROUP BY cohort
UNION ALL
SELECT 'exact', ${wallText('cohort')}, n, count(DISTINCT u) FROM hits GROUP BY cohort, n
UNION ALL
SELECT 'furthest', ${wallText('cohort')}, n, count(*) FROM (SELECT u, cohort, max(n) AS n FROM hits GROUP BY u, cohort) GROUP BY cohort, n`;
}
