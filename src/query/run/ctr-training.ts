import { nowUs as clockUs, formatInstantUs, PathwiseError } from '../../core/index.js';
import { findProject, type Row, type SqlQuery, type Warehouse } from '../../store/index.js';
import { type CtrExtraction, ctrColumns, labelledImpressionsSql } from '../emit/duckdb/ctr-training.js';
import { SqlOut } from '../emit/sql-out.js';
import { resolveRange } from '../plan/range.js';
import { CTR_SOURCE_DEFAULTS, type CtrTrainingSource } from '../spec/ctr-training.js';

/** A labelled impression: the click label (0/1) and its feature values by field name. */
export interface CtrTrainingRow {
  readonly label: number;
  readonly values: Record<string, unknown>;
}

/** A half-open time range of impressions and what it holds. */
export interface CtrPart {
  readonly fromUs: number;
  readonly toUs: number;
  readonly rows: number;
  readonly clicks: number;
}

/** The training data of a CTR model: where it is, how it splits, and numeric feature statistics. */
export interface CtrTrainingPlan {
  readonly extraction: CtrExtraction;
  readonly fields: readonly string[];
  readonly numeric: readonly string[];
  readonly train: CtrPart;
  readonly test: CtrPart;
  /** Click events in the range, and those that matched no impression (reported, not dropped silently). */
  readonly clickEvents: number;
  readonly unmatchedClicks: number;
  /** Mean and population standard deviation of each numeric field over the training rows. */
  readonly numericStats: Readonly<Record<string, { mean: number; std: number }>>;
}

function cutoffUs(source: CtrTrainingSource, timeZone: string, nowUs: number): number | null {
  const split = source.split;
  if (!split || !('testFrom' in split)) return null;
  return resolveRange({ from: split.testFrom, to: '2999-12-31' }, timeZone, nowUs).fromUs;
}

function statsSql(
  x: CtrExtraction,
  fields: readonly string[],
  numeric: readonly string[],
  cutUs: number | null,
  q: number,
) {
  const o = new SqlOut();
  const cols = ctrColumns(fields, x.timeZone, o);
  const ctes = labelledImpressionsSql(x, cols, o);
  const cut =
    cutUs === null
      ? `SELECT quantile_disc(ts, ${o.bind(1 - q)}) AS c FROM imp`
      : `SELECT ${o.bind({ timestampUs: cutUs })}::TIMESTAMP AS c`;
  const moments = numeric
    .map((f, j) => {
      const v = `TRY_CAST(${cols.fieldSql(fields.indexOf(f))} AS DOUBLE)`;
      return `, avg(${v}) FILTER (WHERE ts < c) AS mean_${j}, stddev_pop(${v}) FILTER (WHERE ts < c) AS std_${j}`;
    })
    .join('');
  return o.query(`WITH ${ctes},
cut AS (${cut})
SELECT epoch_us(any_value(c)) AS cut_us,
  count(*) FILTER (WHERE ts < c) AS train_rows, count(*) FILTER (WHERE ts < c AND clicked) AS train_clicks,
  count(*) FILTER (WHERE ts >= c) AS test_rows, count(*) FILTER (WHERE ts >= c AND clicked) AS test_clicks,
  (SELECT count(*) FROM clk WHERE ts < ${o.bind({ timestampUs: x.toUs })}) AS click_events,
  (SELECT count(DISTINCT click_id) FROM matched
     WHERE lag_us <= ${o.bind(x.clickWindowUs)} AND click_ts < ${o.bind({ timestampUs: x.toUs })}) AS matched_clicks
  ${moments}
FROM labelled, cut`);
}

/**
 * Resolves a training source for a project and measures it in one pass in the store: the
 * time-based split (the last `testFraction` of impressions, or `testFrom`), row and click counts
 * per part, unmatched clicks and the numeric fields' mean and standard deviation.
 */
export async function planCtrTraining(
  wh: Warehouse,
  projectId: string,
  source: CtrTrainingSource,
  features: { readonly fields: readonly string[]; readonly numeric: readonly string[] },
  options: { readonly nowUs?: number } = {},
): Promise<CtrTrainingPlan> {
  const project = await findProject(wh, projectId);
  const now = options.nowUs ?? clockUs();
  const range = resolveRange(source.dateRange, project.timeZone, now);
  const extraction: CtrExtraction = {
    projectId: project.projectId,
    timeZone: project.timeZone,
    impressionEvent: source.impressionEvent ?? CTR_SOURCE_DEFAULTS.impressionEvent,
    clickEvent: source.clickEvent ?? CTR_SOURCE_DEFAULTS.clickEvent,
    clickWindowUs: (source.clickWindowSec ?? CTR_SOURCE_DEFAULTS.clickWindowSec) * 1e6,
    ...range,
  };
  const split = source.split;
  const fraction = split && 'testFraction' in split ? split.testFraction : CTR_SOURCE_DEFAULTS.testFraction;
  const query = statsSql(
    extraction,
    features.fields,
    features.numeric,
    cutoffUs(source, project.timeZone, now),
    fraction,
  );
  const row = (await runSql(wh, query))[0] ?? {};
  const cut = row.cut_us === null || row.cut_us === undefined ? range.toUs : Number(row.cut_us);
  const part = (fromUs: number, toUs: number, rows: unknown, clicks: unknown): CtrPart => ({
    fromUs,
    toUs,
    rows: Number(rows ?? 0),
    clicks: Number(clicks ?? 0),
  });
  return {
    extraction,
    fields: features.fields,
    numeric: features.numeric,
    train: part(
      range.fromUs,
      Math.max(range.fromUs, Math.min(cut, range.toUs)),
      row.train_rows,
      row.train_clicks,
    ),
    test: part(Math.max(range.fromUs, Math.min(cut, range.toUs)), range.toUs, row.test_rows, row.test_clicks),
    clickEvents: Number(row.click_events ?? 0),
    unmatchedClicks: Number(row.click_events ?? 0) - Number(row.matched_clicks ?? 0),
    numericStats: Object.fromEntries(
      features.numeric.map((f, j) => [
        f,
        { mean: Number(row[`mean_${j}`] ?? 0), std: Number(row[`std_${j}`] ?? 0) },
      ]),
    ),
  };
}

async function runSql(wh: Warehouse, query: SqlQuery): Promise<Row[]> {
  try {
    return await wh.all(query);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PathwiseError('PW_QUERY_FAILED', { reason }, { cause: err });
  }
}

/**
 * Streams the labelled impressions of one part in time order (then event, then position), as
 * DuckDB produces them: the whole set is never held in memory.
 */
export async function* streamCtrRows(
  wh: Warehouse,
  plan: CtrTrainingPlan,
  part: 'train' | 'test',
): AsyncIterable<CtrTrainingRow[]> {
  const { fromUs, toUs } = plan[part];
  const o = new SqlOut();
  const resolved = ctrColumns(plan.fields, plan.extraction.timeZone, o);
  const ctes = labelledImpressionsSql(plan.extraction, resolved, o);
  const cols = plan.fields.map((f, j) => {
    const sql = resolved.fieldSql(j);
    // A numeric field reads as a number; a categorical one as text (its hashed value).
    const isNumeric = plan.numeric.includes(f);
    return `, ${isNumeric ? `TRY_CAST(${sql} AS DOUBLE)` : sql} AS f${j}`;
  });
  const query = o.query(`WITH ${ctes}
SELECT clicked${cols.join('')} FROM labelled
WHERE ts >= ${o.bind({ timestampUs: fromUs })} AND ts < ${o.bind({ timestampUs: toUs })}
ORDER BY ts, message_id, TRY_CAST(json_extract_string(item, '$.position') AS INTEGER), item_id`);
  const fields = plan.fields;
  try {
    for await (const chunk of wh.stream(query)) {
      yield chunk.map((r) => {
        const values: Record<string, unknown> = {};
        for (let j = 0; j < fields.length; j++) values[fields[j] as string] = r[`f${j}`];
        return { label: r.clicked === true ? 1 : 0, values };
      });
    }
  } catch (err) {
    if (err instanceof PathwiseError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new PathwiseError('PW_QUERY_FAILED', { reason }, { cause: err });
  }
}

/** A part's range as ISO instants (for results). */
export function partRange(part: CtrPart): { from: string; to: string } {
  return { from: formatInstantUs(part.fromUs), to: formatInstantUs(part.toUs) };
}
