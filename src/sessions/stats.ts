import { nowUs, PathwiseError } from '../core/index.js';
import { type DateRange, resolveDateRange } from '../query/index.js';
import { findProject, quoteIdent, type Row, type SqlValue, type Warehouse } from '../store/index.js';
import { DEFAULT_HISTOGRAM_BOUNDS_SEC, type SessionsQuery } from './spec.js';

/** Session metrics of one group (or of all sessions). */
export interface SessionMetrics {
  readonly sessions: number;
  readonly avgDurationSec: number | null;
  readonly medianDurationSec: number | null;
  readonly bounceRate: number | null;
  readonly pagesPerSession: number | null;
  readonly durationHistogram: readonly { fromSec: number | null; toSec: number | null; sessions: number }[];
  readonly entryPages: readonly { path: string | null; sessions: number }[];
  readonly exitPages: readonly { path: string | null; sessions: number }[];
}

/** The answer to a SessionsQuery. */
export interface SessionsResult extends SessionMetrics {
  readonly kind: 'sessions';
  /** The resolved range (UTC instants) and zone, as every insight result carries them. */
  readonly dateRange: { readonly from: string; readonly to: string; readonly timeZone: string };
  readonly timeZone: string;
  readonly breakdown: string | null;
  readonly groups: readonly (SessionMetrics & { readonly value: unknown })[];
}

/** The spec's range: `dateRange`, or the top-level `from`/`to` shorthand, never both. */
function rangeOf(spec: SessionsQuery): DateRange | undefined {
  const hasShorthand = spec.from !== undefined || spec.to !== undefined;
  if (hasShorthand && spec.dateRange)
    throw new PathwiseError('PW_QUERY_BAD_RANGE', { value: 'from/to', option: 'dateRange (with from/to)' });
  if (!hasShorthand) return spec.dateRange;
  return { ...(spec.from ? { from: spec.from } : {}), ...(spec.to ? { to: spec.to } : {}) };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Key of a group value in maps: JSON keeps null apart from the string "null". */
const keyOf = (v: unknown) => JSON.stringify(v ?? null);

/**
 * Session analytics (README, "Sessions"): count, average and median duration, duration
 * histogram, bounce rate, pages per session, entry and exit pages ranked — overall and per
 * value of one session attribute — for sessions starting in the range.
 */
export async function runSessionsQuery(
  wh: Warehouse,
  projectId: string,
  spec: SessionsQuery,
): Promise<SessionsResult> {
  const project = await findProject(wh, projectId);
  const range = resolveDateRange(rangeOf(spec), project.timeZone, nowUs());
  const dim = spec.breakdown ? quoteIdent(spec.breakdown) : 'NULL';
  const limit = spec.breakdownLimit ?? 50;
  const base = `SELECT *, ${dim} AS g FROM sessions WHERE project_id = $1 AND start_ts >= $2 AND start_ts < $3`;
  const params = [project.projectId, { timestampUs: range.fromUs }, { timestampUs: range.toUs }];
  // Groups past the limit are folded into "$other" so that the groups add up to the total.
  const ranked = `WITH s0 AS (${base}),
    top AS (SELECT g FROM s0 GROUP BY g ORDER BY count(*) DESC, g NULLS LAST LIMIT ${limit}),
    s AS (SELECT * REPLACE (CASE WHEN g IN (SELECT g FROM top) OR (g IS NULL AND EXISTS (SELECT 1 FROM top WHERE g IS NULL))
      THEN g::VARCHAR ELSE '$other' END AS g) FROM s0)`;
  const scalar = await wh.all({
    sql: `${ranked} SELECT g, GROUPING(g) AS is_total, count(*) AS sessions, avg(duration_sec) AS avg_d,
            median(duration_sec) AS median_d, avg(is_bounce::INTEGER) AS bounce, avg(pageview_count) AS pages
          FROM s GROUP BY GROUPING SETS ((), (g)) ORDER BY is_total DESC, sessions DESC, g NULLS LAST`,
    params,
  });
  const bounds = [...(spec.histogramBoundsSec ?? DEFAULT_HISTOGRAM_BOUNDS_SEC)].sort((a, b) => a - b);
  const histogram = await wh.all({
    sql: `${ranked} SELECT g, GROUPING(g) AS is_total, bucket, count(*) AS n FROM (
            SELECT g, list_position(list_transform($4::DOUBLE[], b -> duration_sec <= b), true) AS bucket FROM s)
          GROUP BY GROUPING SETS ((bucket), (g, bucket))`,
    params: [...params, bounds.map(String)],
  });
  const pages = await topPages(wh, ranked, params, spec.topPages ?? 10);
  const metrics = (g: Row): SessionMetrics => {
    const isTotal = Number(g.is_total) === 1;
    const same = (r: Row) =>
      Number(r.is_total) === Number(g.is_total) && (isTotal || keyOf(r.g) === keyOf(g.g));
    return {
      sessions: Number(g.sessions),
      avgDurationSec: num(g.avg_d),
      medianDurationSec: num(g.median_d),
      bounceRate: num(g.bounce),
      pagesPerSession: num(g.pages),
      durationHistogram: buckets(bounds, histogram.filter(same)),
      entryPages: pages.filter((r) => same(r) && r.side === 'entry').map(page),
      exitPages: pages.filter((r) => same(r) && r.side === 'exit').map(page),
    };
  };
  const total = scalar.find((r) => Number(r.is_total) === 1);
  const empty: Row = { is_total: 1, sessions: 0, avg_d: null, median_d: null, bounce: null, pages: null };
  return {
    kind: 'sessions',
    dateRange: { from: range.from, to: range.to, timeZone: project.timeZone },
    timeZone: project.timeZone,
    breakdown: spec.breakdown ?? null,
    ...metrics(total ?? empty),
    groups: spec.breakdown
      ? scalar.filter((r) => Number(r.is_total) === 0).map((r) => ({ value: r.g, ...metrics(r) }))
      : [],
  };
}

function page(r: Row) {
  return { path: r.path === null || r.path === undefined ? null : String(r.path), sessions: Number(r.n) };
}

/** Bucket k (1-based) holds durations in (bounds[k-2], bounds[k-1]]; null is past the last bound. */
function buckets(bounds: readonly number[], rows: readonly Row[]) {
  const counts = new Map(
    rows.map((r) => [r.bucket === null ? bounds.length + 1 : Number(r.bucket), Number(r.n)]),
  );
  return [...bounds, null].map((toSec, i) => ({
    fromSec: i === 0 ? null : (bounds[i - 1] ?? null),
    toSec,
    sessions: counts.get(i + 1) ?? 0,
  }));
}

async function topPages(
  wh: Warehouse,
  ranked: string,
  params: readonly SqlValue[],
  n: number,
): Promise<Row[]> {
  return wh.all({
    sql: `${ranked}, counted AS (
            SELECT side, g, GROUPING(g) AS is_total, path, count(*) AS n FROM (
              SELECT 'entry' AS side, g, entry_path AS path FROM s WHERE entry_path IS NOT NULL
              UNION ALL SELECT 'exit', g, exit_path FROM s WHERE exit_path IS NOT NULL)
            GROUP BY GROUPING SETS ((side, path), (side, g, path)))
          SELECT * FROM counted QUALIFY row_number() OVER (PARTITION BY side, is_total, g ORDER BY n DESC, path NULLS LAST) <= ${n}
          ORDER BY side, is_total DESC, g, n DESC, path NULLS LAST`,
    params,
  });
}
