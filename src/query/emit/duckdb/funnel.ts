import type { FunnelPersonsPlan, FunnelPlan } from '../../plan/nodes.js';
import type { SqlOut } from '../sql-out.js';
import { fieldSql, localTime, scopeWhere, UNIT_KEY, wallText } from './base.js';
import { exprSql } from './expr.js';

/** Upper edges (seconds) of the time-to-convert histogram bins; the last bin is open. */
export const HISTOGRAM_EDGES_SEC = [
  10, 30, 60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 172_800, 259_200, 604_800, 1_209_600,
  2_592_000,
] as const;

/**
 * 2^53: packs a step index above a chain start in one BIGINT. Starts are epoch microseconds
 * below 2^53 (until the year 2255) and steps number at most 200 (FunnelSpec), so k · 2^53 + s
 * stays below 2^63; HUGEINT arithmetic measured several times slower here.
 */
const PACK = '9007199254740992';

/** Row conditions of the base CTE: one SQL boolean per step and per exclusion. */
interface Conditions {
  readonly step: readonly string[];
  readonly excl: readonly string[];
}

/**
 * Event names are matched once per row: `en` is the name's position in the bound list of the
 * funnel's names (0: none), so a step is an integer test plus its own filter column, if any.
 * Comparing every row's name with every step was the cost that grew with the step count.
 */
function conditions(p: FunnelPlan, names: readonly string[]): Conditions {
  const cond = (event: string, filterCol: string | null) => {
    const test = `en = ${names.indexOf(event) + 1}`;
    return filterCol ? `(${test} AND ${filterCol})` : `(${test})`;
  };
  return {
    step: p.steps.map((s, i) => cond(s.event, s.where ? `f${i}` : null)),
    excl: p.exclusions.map((e, j) => cond(e.match.event, e.match.where ? `xf${j}` : null)),
  };
}

function eventNames(p: FunnelPlan): string[] {
  return [...new Set([...p.steps.map((s) => s.event), ...p.exclusions.map((e) => e.match.event)])];
}

/** One row per event that matches a step or exclusion name (every event of a unit for strict funnels). */
function baseCte(p: FunnelPlan, names: readonly string[], o: SqlOut, extra: readonly string[]): string {
  const key = UNIT_KEY[p.unit];
  const filters = [
    ...p.steps.flatMap((s, i) => (s.where ? [`coalesce(${exprSql(s.where, o)}, FALSE) AS f${i}`] : [])),
    ...p.exclusions.flatMap((e, j) =>
      e.match.where ? [`coalesce(${exprSql(e.match.where, o)}, FALSE) AS xf${j}`] : [],
    ),
  ];
  const bd = p.breakdown ? fieldSql(p.breakdown, o) : 'NULL::VARCHAR';
  const where = [scopeWhere(p.scope, o), `${key} IS NOT NULL`];
  const nameList = o.bind(names);
  // Strict funnels need every event of a unit: any event between two steps breaks the chain.
  // list_position over one bound list is evaluated inside DuckDB's scan (an IN list of
  // parameters is not), which made the base scan about 4x faster on 4M events.
  if (p.mode !== 'strict') where.push(`list_position(${nameList}, event) > 0`);
  if (p.where) where.push(exprSql(p.where, o));
  const cols = [
    `${key} AS u`,
    'epoch_us("timestamp") AS tus',
    ...(p.mode === 'strict' ? ['message_id AS mid'] : []),
    `${bd} AS bd`,
    `list_position(${nameList}, event) AS en`,
    ...filters,
    ...extra,
  ];
  return `base AS MATERIALIZED (SELECT ${cols.join(', ')} FROM events WHERE ${where.join(' AND ')})`;
}

/**
 * Ordered funnels, one window pass per step (ARCHITECTURE.md, "Ordered funnel"). s{k} holds,
 * for each step-k event, the latest start of a chain reaching it: the running max of s{k-1}
 * over earlier rows, kept when the event is within the window of that start. The latest start
 * is the best one (it leaves the most window), so this is windowFunnel's answer. Each pass
 * reads only step k-1 survivors and step-k events of units that reached k-1: linear in steps.
 */
function orderedPass(p: FunnelPlan, c: Conditions, k: number, o: SqlOut): string {
  const w = o.bind(p.windowUs);
  const prev = `s${k - 1}`;
  const alive = `u IN (SELECT u FROM ${prev})`;
  const gaps = p.exclusions
    .map((e, j) => ({ e, j }))
    .filter(({ e }) => e.fromStep <= k - 1 && k <= e.toStep)
    .map(({ j }) => c.excl[j]);
  // At equal times: step k-1 rows, then exclusions, then step k rows. An exclusion at the same
  // instant as either step therefore counts as between them (README, "Funnel semantics").
  const rows = [
    `SELECT u, tus, 0 AS cls, s FROM ${prev}`,
    `SELECT u, tus, 2 AS cls, NULL::BIGINT AS s FROM base WHERE ${c.step[k]} AND ${alive}`,
  ];
  if (gaps.length > 0)
    rows.push(
      `SELECT u, tus, 1 AS cls, NULL::BIGINT AS s FROM base WHERE (${gaps.join(' OR ')}) AND ${alive}`,
    );
  const union = rows.join(' UNION ALL ');
  const kept = `WHERE cls = 2 AND r IS NOT NULL AND tus - r <= ${w}`;
  if (hasUniqueStarts(p)) {
    // Only a start's first step-k event is kept: later ones carry nothing more to the next pass
    // (the running max already holds the start) nor to the chain's times (each step's
    // earliest). Starts are then unique among step k-1 rows, so `pt`, the time of the row
    // holding the running max, is the chain's step k-1 time.
    const frame = 'PARTITION BY u ORDER BY tus, cls ROWS UNBOUNDED PRECEDING';
    // Step 0 rows are their own starts: there the running max is that time already.
    const pt = k === 1 ? 'max(s) OVER w AS pt' : 'arg_max(tus, s) OVER w AS pt';
    const running = `SELECT u, tus, cls, max(s) OVER w AS r, ${pt} FROM (${union}) WINDOW w AS (${frame})`;
    return `s${k} AS MATERIALIZED (SELECT u, r AS s, min(tus) AS tus, min(pt) AS pt FROM (${running}) ${kept} GROUP BY u, r)`;
  }
  // An exclusion row starts a new group: chains from before it cannot continue past it. A
  // later step-k event may be the first after an exclusion (here or in a later pass), so all
  // are kept.
  const grouped =
    gaps.length > 0
      ? `SELECT *, sum((cls = 1)::INT) OVER (PARTITION BY u ORDER BY tus, cls ROWS UNBOUNDED PRECEDING) AS g FROM (${union})`
      : `SELECT *, 0 AS g FROM (${union})`;
  const running = `SELECT u, tus, cls, max(s) OVER (PARTITION BY u, g ORDER BY tus, cls ROWS UNBOUNDED PRECEDING) AS r FROM (${grouped})`;
  return `s${k} AS MATERIALIZED (SELECT u, r AS s, tus FROM (${running}) ${kept})`;
}

/** Strict funnels: step k must be the very next event of the unit after step k-1. */
function strictPass(p: FunnelPlan, c: Conditions, k: number, o: SqlOut): string {
  const w = o.bind(p.windowUs);
  return `s${k} AS MATERIALIZED (SELECT b.u, b.tus, b.rn, a.s FROM s${k - 1} a JOIN seq b ON b.u = a.u AND b.rn = a.rn + 1 WHERE ${c.step[k]?.replace(/\b(en|f\d+)\b/g, 'b.$1')} AND b.tus - a.s <= ${w})`;
}

/** Ordered passes without exclusions keep one step-k row per start, with the step k-1 time. */
function hasUniqueStarts(p: FunnelPlan): boolean {
  return p.mode === 'ordered' && p.exclusions.length === 0;
}

function chainCtes(p: FunnelPlan, c: Conditions, o: SqlOut): string[] {
  const ctes: string[] = [];
  const n = p.steps.length;
  if (p.mode === 'strict') {
    ctes.push(
      'seq AS MATERIALIZED (SELECT *, row_number() OVER (PARTITION BY u ORDER BY tus, mid) AS rn FROM base)',
    );
    ctes.push(`s0 AS MATERIALIZED (SELECT u, tus, rn, tus AS s FROM seq WHERE ${c.step[0]})`);
    for (let k = 1; k < n; k++) ctes.push(strictPass(p, c, k, o));
  } else {
    // When every reference to a materialized CTE is filtered, DuckDB (its CTE filter pusher) pushes
    // the OR of those filters into the CTE: here `en = 1 OR en = 2 OR …`, with `en` expanded to
    // its list_position, one per step over every event, which was most of a 20-step funnel's
    // time. Step 0 rows are read through a join to keep one reference unfiltered.
    const step0 = c.step[0]?.replace(/\b(en|f\d+)\b/g, 'b.$1');
    ctes.push(
      `s0 AS MATERIALIZED (SELECT b.u, b.tus, b.tus AS s FROM base b JOIN (SELECT TRUE AS hit) h ON ${step0} = h.hit)`,
    );
    for (let k = 1; k < n; k++) ctes.push(orderedPass(p, c, k, o));
  }
  const isUnique = hasUniqueStarts(p);
  const pt = (k: number) => (isUnique ? (k === 0 ? ', NULL::BIGINT AS pt' : ', pt') : '');
  const reached = Array.from({ length: n }, (_, k) => `SELECT u, ${k} AS k, tus, s${pt(k)} FROM s${k}`).join(
    ' UNION ALL ',
  );
  ctes.push(`reached AS MATERIALIZED (${reached})`);
  // The unit's best chain: the latest start among chains reaching its furthest step, found in
  // one aggregate as the maximum of (k, s) packed in one integer.
  ctes.push(
    `best AS MATERIALIZED (SELECT u, (v // ${PACK})::INT + 1 AS level, (v % ${PACK})::BIGINT AS start FROM (SELECT u, max(k::BIGINT * ${PACK} + s) AS v FROM reached GROUP BY u))`,
  );
  // Each step's time in that chain: the earliest step-k event carrying the chain's start (for
  // step 0 the start itself); with unique starts, the previous step's time comes along.
  const chain = 'FROM reached r JOIN best b ON r.u = b.u AND r.s = b.start AND r.k < b.level WHERE r.k > 0';
  ctes.push(
    isUnique
      ? `steps AS MATERIALIZED (SELECT u, 0 AS k, start AS at, start, NULL::BIGINT AS prev FROM best UNION ALL SELECT r.u, r.k, r.tus, r.s, r.pt ${chain})`
      : `steps AS MATERIALIZED (SELECT u, 0 AS k, start AS at, start FROM best UNION ALL SELECT r.u, r.k, min(r.tus), r.s ${chain} GROUP BY r.u, r.k, r.s)`,
  );
  return ctes;
}

/**
 * Unordered funnels: from each step event at t, the next event of every step in [t, t + window]
 * and the next exclusion at or after t; the steps counted are those whose next event comes
 * before that exclusion (one at the same instant counts as between, as in ordered funnels).
 * A unit reaches the best count, from its latest start with that count; the step times are the
 * counted steps' times in the order they were reached (README, "Funnels").
 */
function unorderedCtes(p: FunnelPlan, c: Conditions, o: SqlOut): string[] {
  const w = o.bind(p.windowUs);
  const next = c.step.map((cond, j) => `min(CASE WHEN ${cond} THEN tus END) OVER w AS n${j}`);
  const excl =
    c.excl.length > 0 ? `min(CASE WHEN ${c.excl.join(' OR ')} THEN tus END) OVER w` : 'NULL::BIGINT';
  const counted = c.step.map((_, j) => `n${j} - tus <= ${w} AND (x IS NULL OR n${j} < x)`);
  const times = counted.map((ok, j) => `CASE WHEN ${ok} THEN n${j} END`);
  return [
    `nx AS (SELECT u, tus, ${c.step.join(' OR ')} AS is_step, ${next.join(', ')}, ${excl} AS x FROM base
      WINDOW w AS (PARTITION BY u ORDER BY tus RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING))`,
    `lv AS (SELECT u, tus, list_sort(list_filter([${times.join(', ')}], v -> v IS NOT NULL)) AS times FROM nx WHERE is_step)`,
    `best AS MATERIALIZED (SELECT u, len(times) AS level, tus AS start, times FROM (SELECT *, row_number() OVER (PARTITION BY u ORDER BY len(times) DESC, tus DESC) AS rn FROM lv) WHERE rn = 1 AND len(times) > 0)`,
    'steps AS MATERIALIZED (SELECT u, generate_subscripts(times, 1) - 1 AS k, unnest(times) AS at, start FROM best)',
  ];
}

/** The breakdown value of a unit: from the event that starts its best chain (README). */
function attrCte(p: FunnelPlan, c: Conditions): string {
  if (!p.breakdown) return 'attr AS MATERIALIZED (SELECT u, level, start, NULL::VARCHAR AS bd FROM best)';
  const first = p.mode === 'unordered' ? 'TRUE' : (c.step[0] ?? 'TRUE').replace(/\b(en|f\d+)\b/g, 'e.$1');
  return `attr AS MATERIALIZED (SELECT b.u, b.level, b.start, min(e.bd) AS bd FROM best b LEFT JOIN base e ON e.u = b.u AND e.tus = b.start AND ${first} GROUP BY b.u, b.level, b.start)`;
}

/**
 * Every CTE of a funnel, ending with `attr(u, level, start, bd)` and `steps(u, k, at, start)`. `extra`
 * are more `expression AS name` columns for `base` (diagnostics read step events' attributes).
 */
export function funnelCtes(p: FunnelPlan, o: SqlOut, extra: readonly string[] = []): string {
  const names = eventNames(p);
  const c = conditions(p, names);
  const ctes = [
    baseCte(p, names, o, extra),
    ...(p.mode === 'unordered' ? unorderedCtes(p, c, o) : chainCtes(p, c, o)),
    attrCte(p, c),
  ];
  return `WITH ${ctes.join(',\n')}`;
}

/** Whether a `base` row (under `alias`) is an event of step `kSql` (a 0-based step number in SQL). */
export function isStepEventSql(p: FunnelPlan, alias: string, kSql: string): string {
  const c = conditions(p, eventNames(p));
  const arms = c.step.map((cond, k) => `WHEN ${k} THEN ${cond.replace(/\b(en|f\d+)\b/g, `${alias}.$1`)}`);
  return `(CASE ${kSql} ${arms.join(' ')} ELSE FALSE END)`;
}

/** Step counts and times by breakdown value, the histogram, and the cohort trend, as one result. */
export function emitFunnel(p: FunnelPlan, o: SqlOut): string {
  const ctes = funnelCtes(p, o);
  const bin = HISTOGRAM_EDGES_SEC.map((e) => `(dt >= ${e * 1_000_000})::INT`).join(' + ');
  // Zone offsets are whole quarter hours, so starts are grouped by UTC quarter hour first and
  // only the distinct quarters go through the (costly) zone conversion.
  const cohort = wallText(
    `date_trunc(${o.bind(p.trendInterval)}, ${localTime('make_timestamp(q * 900000000)', o.bind(p.scope.timeZone))})`,
  );
  const timed = hasUniqueStarts(p)
    ? 'timed AS MATERIALIZED (SELECT t.u, t.k, t.at - t.prev AS dt FROM steps t)'
    : 'timed AS MATERIALIZED (SELECT t.u, t.k, t.at - p.at AS dt FROM steps t LEFT JOIN steps p ON p.u = t.u AND p.k = t.k - 1)';
  // Without a breakdown every unit's value is NULL: the join to attr is left out.
  const from = p.breakdown ? 'timed t JOIN attr a ON a.u = t.u' : 'timed t';
  const group = p.breakdown ? 'GROUP BY GROUPING SETS ((a.bd, t.k), (t.k))' : 'GROUP BY t.k';
  const isTotal = p.breakdown ? 'grouping(a.bd) = 1' : 'TRUE';
  const bd = p.breakdown ? 'a.bd' : 'NULL::VARCHAR AS bd';
  return `${ctes},
${timed}
SELECT 'step' AS part, ${isTotal} AS is_total, ${bd}, t.k, count(*) AS n, avg(t.dt) AS avg_us, median(t.dt) AS median_us, NULL::INT AS bin, NULL::VARCHAR AS cohort
  FROM ${from} ${group}
UNION ALL
SELECT 'hist', TRUE, NULL, k, count(*), NULL, NULL, ${bin}, NULL FROM timed WHERE dt IS NOT NULL GROUP BY k, ${bin}
UNION ALL
SELECT 'trend', TRUE, NULL, level, sum(n), NULL, NULL, NULL, ${cohort}
  FROM (SELECT level, start // 900000000 AS q, count(*) AS n FROM attr GROUP BY ALL) GROUP BY level, ${cohort}`;
}

/** One page of units that reached step k (converted) or stopped just before it (dropped). */
export function emitFunnelPersons(p: FunnelPersonsPlan, o: SqlOut): string {
  const ctes = funnelCtes(p.funnel, o);
  const cond = p.status === 'converted' ? `level >= ${o.bind(p.step + 1)}` : `level = ${o.bind(p.step)}`;
  // The count row is joined to the page so that a page past the end still reports the total.
  return `${ctes},
chosen AS (SELECT u, level, start FROM attr WHERE ${cond}),
page AS (SELECT u AS id, level, make_timestamp(start) AS started_at FROM chosen ORDER BY u LIMIT ${o.bind(p.limit)} OFFSET ${o.bind(p.offset)})
SELECT t.total, page.* FROM (SELECT count(*) AS total FROM chosen) t LEFT JOIN page ON TRUE ORDER BY page.id`;
}
