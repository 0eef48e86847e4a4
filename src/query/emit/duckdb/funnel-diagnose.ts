import type {
  FeatureCounting,
  FunnelSegmentsPlan,
  FunnelSeriesPlan,
  FunnelUnitsPlan,
  SegmentCondition,
} from '../../plan/nodes.js';
import { segmentSets } from '../../plan/planner.js';
import type { SqlOut } from '../sql-out.js';
import { jsonPointer, localTime, scopeWhere, UNIT_KEY } from './base.js';
import { unitStepCtes } from './funnel-units.js';

/** The value that stands for every value past a dimension's most frequent ones. */
export const OTHER_VALUE = '$other';

function periodCounts(splitUs: number | null, o: SqlOut): string[] {
  if (splitUs === null) return [];
  const split = o.bind(splitUs);
  return [
    `count(*) FILTER (WHERE mature AND tk < ${split}) AS n0`,
    `count(*) FILTER (WHERE mature AND ch AND tk < ${split}) AS c0`,
    `count(*) FILTER (WHERE mature AND tk >= ${split}) AS n1`,
    `count(*) FILTER (WHERE mature AND ch AND tk >= ${split}) AS c1`,
  ];
}

/**
 * Per step, the total and every segment with at least `minUnits` mature entrants: all entrants
 * and those converting within the window (`n_all`, `c_all`, the funnel's own numbers), mature
 * entrants and those converting within the horizon (`n`, `c`), and the same before and after the
 * split. `sid` numbers the segment's dimensions as `segmentSets` lists them (−1: everyone), `v1`
 * and `v2` are its values. Values past the top N of a dimension (by unit-steps) are `$other`.
 *
 * Unit-steps are first counted per combination of all values (`cells`, far fewer rows), then
 * each cell is spread over its segments and summed once: one hash aggregation instead of a
 * grouping set per segment kind, which measured several times slower here.
 * Feature counts, when asked, follow in the same statement (`part` tells the rows apart).
 */
export function emitFunnelSegments(p: FunnelSegmentsPlan, o: SqlOut): string {
  const d = p.units.dimensions.length;
  const idx = Array.from({ length: d }, (_, i) => i);
  const top = o.bind(p.topValues);
  const tops = idx.map(
    (i) =>
      `t${i} AS (SELECT d${i} AS v FROM us WHERE d${i} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${top})`,
  );
  const other = o.bind(OTHER_VALUE);
  const mapped = idx.map(
    (i) => `CASE WHEN d${i} IS NULL OR d${i} IN (SELECT v FROM t${i}) THEN d${i} ELSE ${other} END AS m${i}`,
  );
  const counts = [
    'count(*) AS n_all',
    'count(*) FILTER (WHERE cw) AS c_all',
    'count(*) FILTER (WHERE mature) AS n',
    'count(*) FILTER (WHERE mature AND ch) AS c',
    ...periodCounts(p.splitUs, o),
  ];
  const names = counts.map((c) => c.slice(c.lastIndexOf(' AS ') + 4));
  const sets = segmentSets(d, p.isPairs);
  const none = 'NULL::VARCHAR';
  const sids = ['-1', ...sets.map((_, i) => String(i))];
  const v1s = [none, ...sets.map((set) => `m${set[0]}`)];
  const v2s = [none, ...sets.map((set) => (set[1] === undefined ? none : `m${set[1]}`))];
  const ds = `ds AS (SELECT k, tk, cw, ch, mature${mapped.map((m) => `, ${m}`).join('')} FROM us)`;
  const cells = `cells AS (SELECT k${idx.map((i) => `, m${i}`).join('')}, ${counts.join(', ')} FROM ds GROUP BY ALL)`;
  const spread = `spread AS (SELECT k, unnest([${sids.join(', ')}]) AS sid, unnest([${v1s.join(', ')}]) AS v1,
    unnest([${v2s.join(', ')}]) AS v2, ${names.join(', ')} FROM cells)`;
  const segments = `SELECT 'segment' AS part, k, sid, v1, v2, ${names.map((n) => `sum(${n})::BIGINT AS ${n}`).join(', ')}
  FROM spread GROUP BY k, sid, v1, v2 HAVING sid = -1 OR sum(n) >= ${o.bind(p.minUnits)}`;
  const features = p.features ? featureParts(p.units, p.features, o) : null;
  const ctes = [...tops, ds, cells, spread, ...(features?.ctes ?? [])];
  const selects = [segments, ...(features?.selects ?? [])].map((q) => `SELECT * FROM (${q})`);
  return `${unitStepCtes(p.units, o)},
${ctes.join(',\n')}
${selects.join('\nUNION ALL BY NAME\n')}`;
}

function conditionSql(c: SegmentCondition, o: SqlOut): string {
  return c.value === null ? `d${c.dimension} IS NULL` : `d${c.dimension} = ${o.bind(c.value)}`;
}

/**
 * Daily mature entrants (`n`) and conversions within the horizon (`c`) by the local day of
 * step k: `seg` −1 is every step overall, `seg` i ≥ 0 is the i-th requested segment at its step.
 * Starts are grouped by UTC quarter hour before the zone conversion, as the funnel trend does.
 */
export function emitFunnelSeries(p: FunnelSeriesPlan, o: SqlOut): string {
  const parts = ['SELECT -1 AS seg, k, tk, ch FROM us WHERE mature'];
  p.segments.forEach((s, i) => {
    const conds = [`k = ${o.bind(s.step)}`, ...s.conditions.map((c) => conditionSql(c, o))];
    parts.push(`SELECT ${i} AS seg, k, tk, ch FROM us WHERE mature AND ${conds.join(' AND ')}`);
  });
  const day = `strftime(${localTime('make_timestamp(q * 900000000)', o.bind(p.units.funnel.scope.timeZone))}, '%Y-%m-%d')`;
  return `${unitStepCtes(p.units, o)},
rows AS (${parts.join('\nUNION ALL ')}),
quarters AS (SELECT seg, k, tk // 900000000 AS q, count(*) AS n, count(*) FILTER (WHERE ch) AS c FROM rows GROUP BY ALL)
SELECT seg, k, ${day} AS day, sum(n)::BIGINT AS n, sum(c)::BIGINT AS c FROM quarters GROUP BY seg, k, day ORDER BY seg, k, day`;
}

/**
 * Per step k, the mature entrants who had each feature from `lookback` before their chain's first
 * step up to their step-k event, split by conversion within the horizon (`a`: converted, `b`:
 * not), and the totals (`part` = 'total'). A feature is an event name outside the funnel's steps
 * (`prop` −1), or a listed property's value on any event (`prop` its index).
 */
function featureParts(
  units: FunnelUnitsPlan,
  p: FeatureCounting,
  o: SqlOut,
): { ctes: string[]; selects: string[] } {
  const f = units.funnel;
  const key = UNIT_KEY[f.unit];
  const props = p.properties.map(
    (name, i) => `json_extract_string(properties, ${o.bind(jsonPointer(name))}) AS p${i}`,
  );
  const propIdx = p.properties.map((_, i) => i);
  const stepNames = o.bind([...new Set(f.steps.map((s) => s.event))]);
  const ctes = [
    'cu AS MATERIALIZED (SELECT u, k, start, tk, ch FROM us WHERE mature)',
    `ev AS (SELECT ${key} AS u, epoch_us("timestamp") AS tus, event${props.map((c) => `, ${c}`).join('')}
  FROM events WHERE ${scopeWhere(f.scope, o)} AND ${key} IN (SELECT u FROM cu))`,
    `feat AS (SELECT cu.k, cu.u, cu.ch, ev.event, unnest([-1${propIdx.map((i) => `, ${i}`).join('')}]) AS prop,
    unnest([NULL::VARCHAR${propIdx.map((i) => `, ev.p${i}`).join('')}]) AS val
  FROM cu JOIN ev ON ev.u = cu.u AND ev.tus >= cu.start - ${o.bind(p.lookbackUs)} AND ev.tus <= cu.tk)`,
    `hits AS (SELECT DISTINCT k, u, ch, event, prop, val FROM feat
  WHERE (prop = -1 AND NOT list_contains(${stepNames}, event)) OR (prop >= 0 AND val IS NOT NULL))`,
  ];
  const selects = [
    `SELECT 'feature' AS part, k, event, prop, val, count(*) FILTER (WHERE ch) AS a, count(*) FILTER (WHERE NOT ch) AS b
  FROM hits GROUP BY k, event, prop, val HAVING count(*) >= ${o.bind(p.minUnits)}
  QUALIFY row_number() OVER (PARTITION BY k ORDER BY count(*) DESC, event, prop, val) <= ${o.bind(p.maxFeatures)}`,
    `SELECT 'total' AS part, k, count(*) FILTER (WHERE ch) AS a, count(*) FILTER (WHERE NOT ch) AS b FROM cu GROUP BY k`,
  ];
  return { ctes, selects };
}
