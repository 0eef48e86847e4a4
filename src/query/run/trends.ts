import { PathwiseError } from '../../core/index.js';
import type { Row } from '../../store/index.js';
import { type PlanContext, planTrends } from '../plan/planner.js';
import { previousRange } from '../plan/range.js';
import type { TrendsSpec } from '../spec/insights.js';
import { dateRangeOf, num, type ResolvedDateRange, type RunContext, runPlan } from './context.js';
import { compileFormula } from './formula.js';

/** One line of a trends chart: a value per bucket (buckets are local wall times). */
export interface TrendsLine {
  readonly label: string;
  readonly event: string | null;
  readonly math: string;
  readonly breakdownValue?: string | null;
  readonly buckets: readonly string[];
  readonly values: readonly (number | null)[];
  readonly total: number;
}

/** A trends result; `previous` holds the lines of the previous period when `compare` is set. */
export interface TrendsResult {
  readonly kind: 'trends';
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  readonly interval: string;
  readonly series: readonly TrendsLine[];
  readonly formula?: TrendsLine;
  readonly previous?: { readonly dateRange: ResolvedDateRange; readonly series: readonly TrendsLine[] };
}

function linesOf(spec: TrendsSpec, index: number, rows: readonly Row[]): TrendsLine[] {
  const s = spec.series[index];
  if (!s) return [];
  const buckets = rows.filter((r) => r.part === 'bucket').map((r) => String(r.bucket));
  const byBd = new Map<string | null, Map<string, number>>();
  for (const r of rows) {
    if (r.part !== 'value') continue;
    const bd = r.bd === null || r.bd === undefined ? null : String(r.bd);
    const m = byBd.get(bd) ?? new Map<string, number>();
    m.set(String(r.bucket), num(r.value) ?? 0);
    byBd.set(bd, m);
  }
  if (byBd.size === 0) byBd.set(null, new Map());
  const isCount = !['avg', 'min', 'max', 'median', 'p90', 'p99', 'per_person_avg'].includes(
    s.math ?? 'total',
  );
  const label = s.label ?? `${s.event} (${s.math ?? 'total'})`;
  return [...byBd.entries()].map(([bd, m]) => {
    const values = buckets.map((b) => m.get(b) ?? (isCount ? 0 : null));
    return {
      label: spec.breakdown ? `${label} · ${bd ?? '(none)'}` : label,
      event: s.event,
      math: s.math ?? 'total',
      ...(spec.breakdown ? { breakdownValue: bd } : {}),
      buckets,
      values,
      total: values.reduce<number>((a, v) => a + (v ?? 0), 0),
    };
  });
}

async function runRange(ctx: RunContext, spec: TrendsSpec, plan: PlanContext): Promise<TrendsLine[]> {
  const lines: TrendsLine[] = [];
  const plans = planTrends(spec, plan);
  for (const [i, p] of plans.entries()) lines.push(...linesOf(spec, i, await runPlan(ctx, p)));
  return lines;
}

function formulaLine(spec: TrendsSpec, lines: readonly TrendsLine[]): TrendsLine | undefined {
  if (!spec.formula) return undefined;
  if (spec.breakdown) throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: 'formula with breakdown' });
  const f = compileFormula(spec.formula, spec.series.length);
  const buckets = lines[0]?.buckets ?? [];
  const values = buckets.map((_, b) => f(lines.map((l) => l.values[b] ?? null)));
  return {
    label: spec.formula,
    event: null,
    math: 'formula',
    buckets,
    values,
    total: f(lines.map((l) => l.total)) ?? 0,
  };
}

/** Runs every series over the range (and the previous period when asked), then the formula. */
export async function runTrends(ctx: RunContext, spec: TrendsSpec): Promise<TrendsResult> {
  const series = await runRange(ctx, spec, ctx.plan);
  const formula = formulaLine(spec, series);
  const result: TrendsResult = {
    kind: 'trends',
    dateRange: dateRangeOf(ctx.plan),
    timeZone: ctx.plan.timeZone,
    interval: spec.interval ?? 'day',
    series,
    ...(formula ? { formula } : {}),
  };
  if (!spec.compare) return result;
  const prev = { ...ctx.plan, ...previousRange(ctx.plan) };
  return { ...result, previous: { dateRange: dateRangeOf(prev), series: await runRange(ctx, spec, prev) } };
}
