import { formatInstantUs, PathwiseError } from '../../core/index.js';
import type { Row, SqlQuery, Warehouse } from '../../store/index.js';
import type { Dialect } from '../emit/dialect.js';
import type { PlanNode } from '../plan/nodes.js';
import type { PlanContext } from '../plan/planner.js';
import { type ResolvedRange, resolveRange } from '../plan/range.js';
import type { DateRange } from '../spec/common.js';

/** The resolved range every result carries: `to` is exclusive, both are UTC instants. */
export interface ResolvedDateRange {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
}

/** What a runner gets: the store, the dialect, and the planner's context. */
export interface RunContext {
  readonly wh: Warehouse;
  readonly dialect: Dialect;
  readonly plan: PlanContext;
  readonly nowUs: number;
}

/** The date range block of a result. */
export function dateRangeOf(ctx: PlanContext): ResolvedDateRange {
  return { from: formatInstantUs(ctx.fromUs), to: formatInstantUs(ctx.toUs), timeZone: ctx.timeZone };
}

/** Resolves a date range as insights do (README, "Insights"): UTC bounds and the result's block. */
export function resolveDateRange(
  range: DateRange | undefined,
  timeZone: string,
  nowUs: number,
): ResolvedDateRange & ResolvedRange {
  const r = resolveRange(range, timeZone, nowUs);
  return { ...r, from: formatInstantUs(r.fromUs), to: formatInstantUs(r.toUs), timeZone };
}

/** Emits a plan node and runs it; engine errors become PW_QUERY_FAILED with the engine's reason. */
export async function runPlan(ctx: RunContext, node: PlanNode): Promise<Row[]> {
  const query: SqlQuery = ctx.dialect.emit(node);
  try {
    return await ctx.wh.all(query);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PathwiseError('PW_QUERY_FAILED', { reason }, { cause: err });
  }
}

/** A ratio, null when the denominator is zero. */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

/** A row value as a number (null stays null). */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? v : Number(v);
}
