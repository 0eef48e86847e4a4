import type {
  ExperimentExposurePlan,
  ExperimentExposuresPlan,
  ExperimentMetricPlan,
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

/** Per-unit y and x for the metric (see ExperimentMetricPlan); zero when no event matched. */
function perUnitCte(p: ExperimentMetricPlan, o: SqlOut): string {
  const key = UNIT_KEY.person;
  const scope = p.exposure.scope;
  const window = o.bind(p.windowUs);
  const lookback = p.denominator === null && p.lookbackUs !== null ? o.bind(p.lookbackUs) : null;
  const after = 'ev.tus >= un.first_us';
  const y =
    p.metric === 'conversion' ? `max(ev.y) FILTER (WHERE ${after})` : `sum(ev.y) FILTER (WHERE ${after})`;
  let x = 'NULL::DOUBLE';
  if (p.denominator !== null) x = 'coalesce(sum(ev.x), 0)::DOUBLE';
  else if (lookback !== null) x = `coalesce(sum(ev.y) FILTER (WHERE ev.tus < un.first_us), 0)::DOUBLE`;
  const matches = [p.outcome.match, ...(p.denominator ? [p.denominator.match] : [])];
  const anyMatch = matches.map((m) => `coalesce(${exprSql(m, o)}, FALSE)`).join(' OR ');
  const range = `"timestamp" >= ${o.bind({ timestampUs: scope.fromUs - (p.lookbackUs ?? 0) })} AND "timestamp" <= ${o.bind({ timestampUs: scope.toUs + p.windowUs })}`;
  const denominator = p.denominator ? valueSql(p.denominator, o) : 'NULL::DOUBLE';
  const events = `SELECT ${key} AS u, epoch_us("timestamp") AS tus, ${valueSql(p.outcome, o)} AS y, ${denominator} AS x FROM events WHERE project_id = ${o.bind(scope.projectId)} AND ${range} AND ${key} IS NOT NULL AND (${anyMatch})`;
  const assigned = `SELECT u, first_us, variant FROM units WHERE variants = 1 AND list_contains(${o.bind(p.variants)}, variant)`;
  // The join keeps only events in [first − lookback, first + window]: the aggregates see no others.
  const from = lookback === null ? 'un.first_us' : `un.first_us - ${lookback}`;
  const join = `ev.u = un.u AND ev.tus >= ${from} AND ev.tus <= un.first_us + ${window}`;
  return `ev AS (${events}),
per_unit AS (SELECT un.u, any_value(un.variant) AS variant, coalesce(${y}, 0)::DOUBLE AS y, ${x} AS x FROM (${assigned}) un LEFT JOIN ev ON ${join} GROUP BY un.u)`;
}

/**
 * Per-variant moments of the metric: n, mean and sample variance of y and x, their sample
 * covariance, and the winsorization caps (type-7 percentiles of y over all arms pooled).
 */
export function emitExperimentMetric(p: ExperimentMetricPlan, o: SqlOut): string {
  const w = p.winsorize;
  const caps = w
    ? `SELECT quantile_cont(y, ${o.bind(w.upper)}::DOUBLE) AS hi, ${w.lower === null ? "'-Infinity'::DOUBLE" : `quantile_cont(y, ${o.bind(w.lower)}::DOUBLE)`} AS lo FROM per_unit`
    : `SELECT 'Infinity'::DOUBLE AS hi, '-Infinity'::DOUBLE AS lo`;
  return `WITH ${unitsCte(p.exposure, o)},
${perUnitCte(p, o)},
caps AS (${caps}),
capped AS (SELECT per_unit.variant, greatest(least(per_unit.y, caps.hi), caps.lo) AS y, per_unit.x FROM per_unit, caps)
SELECT variant, count(*) AS n, sum(y) AS sum_y, avg(y) AS mean_y, var_samp(y) AS var_y, avg(x) AS mean_x, var_samp(x) AS var_x, covar_samp(x, y) AS cov_xy, (SELECT hi FROM caps) AS cap_hi, (SELECT lo FROM caps) AS cap_lo
FROM capped GROUP BY variant ORDER BY variant`;
}
