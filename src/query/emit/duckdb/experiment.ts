import type {
  ExperimentExposurePlan,
  ExperimentExposuresPlan,
  ExperimentMetricsPlan,
  UnitValue,
} from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { fieldSql, numberSql, scopeWhere, UNIT_KEY } from './base.js';
import { exprSql } from './expr.js';

/**
 * One row per unit with an exposure in the scope: the first exposure (µs) and the variant, with
 * the count of distinct variants the unit saw (> 1: exposed to several, excluded by the analysis).
 * Exposures without the variant property are ignored.
 */
function unitsCte(e: ExperimentExposurePlan, o: SqlOut): string {
  const key = UNIT_KEY.person;
  const variant = fieldSql({ kind: 'prop', name: e.variantProperty }, o);
  const where = [scopeWhere(e.scope, o), `event = ${o.bind(e.event)}`, `${key} IS NOT NULL`];
  if (e.where) where.push(`coalesce(${exprSql(e.where, o)}, FALSE)`);
  return `units AS MATERIALIZED (SELECT u, min(tus) AS first_us, min(v) AS variant, count(DISTINCT v) AS variants FROM (SELECT ${key} AS u, epoch_us("timestamp") AS tus, ${variant} AS v FROM events WHERE ${where.join(' AND ')}) WHERE v IS NOT NULL GROUP BY u)`;
}

/** Exposed units per variant value, split by whether they saw one variant or several. */
export function emitExperimentExposures(p: ExperimentExposuresPlan, o: SqlOut): string {
  return `WITH ${unitsCte(p.exposure, o)}
SELECT variant, variants > 1 AS is_multiple, count(*) AS units FROM units GROUP BY ALL ORDER BY variant, is_multiple`;
}

/** The per-event value of a unit value: the numeric property (NULL when not a number) or 1. */
function valueSql(v: UnitValue, o: SqlOut): string {
  return `CASE WHEN coalesce(${exprSql(v.match, o)}, FALSE) THEN ${v.property === null ? '1' : numberSql(v.property, o)} END`;
}

/** One row per matching event in the widest range any metric reads, with y{i}/x{i} per metric. */
function eventsCte(p: ExperimentMetricsPlan, o: SqlOut): string {
  const key = UNIT_KEY.person;
  const scope = p.exposure.scope;
  const maxLookback = Math.max(...p.metrics.map((m) => m.lookbackUs ?? 0));
  const maxWindow = Math.max(...p.metrics.map((m) => m.windowUs));
  const values = p.metrics.flatMap((m, i) => [
    `${valueSql(m.outcome, o)} AS y${i}`,
    `${m.denominator ? valueSql(m.denominator, o) : 'NULL::DOUBLE'} AS x${i}`,
  ]);
  const matches = p.metrics.flatMap((m) => [
    m.outcome.match,
    ...(m.denominator ? [m.denominator.match] : []),
  ]);
  const anyMatch = matches.map((m) => `coalesce(${exprSql(m, o)}, FALSE)`).join(' OR ');
  const range = `"timestamp" >= ${o.bind({ timestampUs: scope.fromUs - maxLookback })} AND "timestamp" <= ${o.bind({ timestampUs: scope.toUs + maxWindow })}`;
  return `ev AS (SELECT ${key} AS u, epoch_us("timestamp") AS tus, ${values.join(', ')} FROM events WHERE project_id = ${o.bind(scope.projectId)} AND ${range} AND ${key} IS NOT NULL AND (${anyMatch}))`;
}

/** Per-unit y{i} and x{i} (see ExperimentMetricColumns); zero when no event matched. */
function perUnitCte(p: ExperimentMetricsPlan, o: SqlOut): string {
  const columns = p.metrics.flatMap((m, i) => {
    const inWindow = `ev.tus >= un.first_us AND ev.tus <= un.first_us + ${o.bind(m.windowUs)}`;
    const y = `coalesce(${m.metric === 'conversion' ? 'max' : 'sum'}(ev.y${i}) FILTER (WHERE ${inWindow}), 0)::DOUBLE AS y${i}`;
    if (m.denominator !== null)
      return [y, `coalesce(sum(ev.x${i}) FILTER (WHERE ${inWindow}), 0)::DOUBLE AS x${i}`];
    if (m.lookbackUs === null) return [y, `NULL::DOUBLE AS x${i}`];
    const before = `ev.tus >= un.first_us - ${o.bind(m.lookbackUs)} AND ev.tus < un.first_us`;
    return [y, `coalesce(sum(ev.y${i}) FILTER (WHERE ${before}), 0)::DOUBLE AS x${i}`];
  });
  const assigned = `SELECT u, first_us, variant FROM units WHERE variants = 1 AND list_contains(${o.bind(p.variants)}, variant)`;
  // The join keeps only events some metric can use: the aggregates see no others.
  const maxLookback = Math.max(...p.metrics.map((m) => m.lookbackUs ?? 0));
  const maxWindow = Math.max(...p.metrics.map((m) => m.windowUs));
  const join = `ev.u = un.u AND ev.tus >= un.first_us - ${o.bind(maxLookback)} AND ev.tus <= un.first_us + ${o.bind(maxWindow)}`;
  return `per_unit AS (SELECT un.u, any_value(un.variant) AS variant, ${columns.join(', ')} FROM (${assigned}) un LEFT JOIN ev ON ${join} GROUP BY un.u)`;
}

/** Winsorization caps per metric: type-7 percentiles of y{i} over all arms pooled, else ±∞. */
function capsCte(p: ExperimentMetricsPlan, o: SqlOut): string {
  const caps = p.metrics.flatMap((m, i) => {
    const w = m.winsorize;
    const hi = w ? `quantile_cont(y${i}, ${o.bind(w.upper)}::DOUBLE)` : "'Infinity'::DOUBLE";
    const lo =
      w && w.lower !== null ? `quantile_cont(y${i}, ${o.bind(w.lower)}::DOUBLE)` : "'-Infinity'::DOUBLE";
    return [`${hi} AS hi${i}`, `${lo} AS lo${i}`];
  });
  // Without a quantile the constants must not be repeated per unit: no FROM, one row.
  const isAggregate = p.metrics.some((m) => m.winsorize !== null);
  return `caps AS (SELECT ${caps.join(', ')}${isAggregate ? ' FROM per_unit' : ''})`;
}

/**
 * Per-variant moments of every metric: n, and per metric i the sum, mean and sample variance of
 * y{i} (after winsorizing), of x{i}, their sample covariance, and the caps used.
 */
export function emitExperimentMetrics(p: ExperimentMetricsPlan, o: SqlOut): string {
  const clipped = p.metrics.map(
    (_, i) => `greatest(least(per_unit.y${i}, caps.hi${i}), caps.lo${i}) AS y${i}, per_unit.x${i}`,
  );
  const moments = p.metrics.map(
    (_, i) =>
      `sum(y${i}) AS sum_y${i}, avg(y${i}) AS mean_y${i}, var_samp(y${i}) AS var_y${i}, avg(x${i}) AS mean_x${i}, var_samp(x${i}) AS var_x${i}, covar_samp(x${i}, y${i}) AS cov_xy${i}, any_value(hi${i}) AS cap_hi${i}, any_value(lo${i}) AS cap_lo${i}`,
  );
  return `WITH ${unitsCte(p.exposure, o)},
${eventsCte(p, o)},
${perUnitCte(p, o)},
${capsCte(p, o)},
capped AS (SELECT per_unit.variant, ${clipped.join(', ')}, caps.* FROM per_unit, caps)
SELECT variant, count(*) AS n, ${moments.join(', ')}
FROM capped GROUP BY variant ORDER BY variant`;
}
