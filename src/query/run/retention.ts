import type { Row } from '../../store/index.js';
import { planRetention } from '../plan/planner.js';
import type { RetentionSpec } from '../spec/insights.js';
import { dateRangeOf, type ResolvedDateRange, type RunContext, ratio, runPlan } from './context.js';

/** One cohort row: its size and, per period offset 0..periods, the retained units (null: not yet). */
export interface RetentionCohort {
  readonly cohort: string;
  readonly size: number;
  readonly retained: readonly (number | null)[];
  readonly rates: readonly (number | null)[];
}

/** A retention table and its average curve, weighted by cohort size. */
export interface RetentionResult {
  readonly kind: 'retention';
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  readonly period: string;
  readonly cohortType: string;
  readonly returnMode: string;
  readonly cohorts: readonly RetentionCohort[];
  readonly average: readonly (number | null)[];
}

function countsBy(rows: readonly Row[], part: string): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const r of rows) {
    if (r.part !== part) continue;
    const m = out.get(String(r.cohort)) ?? new Map<number, number>();
    m.set(Number(r.n), Number(r.units));
    out.set(String(r.cohort), m);
  }
  return out;
}

function cohortRow(
  cohort: string,
  index: number,
  periodCount: number,
  spec: RetentionSpec,
  counts: { size: number; exact?: Map<number, number>; furthest?: Map<number, number> },
): RetentionCohort {
  const periods = spec.periods ?? 8;
  const retained = Array.from({ length: periods + 1 }, (_, n) => {
    // A period that has not started by the range end is unknown, not zero.
    if (index + n >= periodCount) return null;
    if (n === 0) return counts.size;
    if (spec.returnMode === 'unbounded') {
      let sum = 0;
      for (const [m, c] of counts.furthest ?? []) if (m >= n) sum += c;
      return sum;
    }
    return counts.exact?.get(n) ?? 0;
  });
  return {
    cohort,
    size: counts.size,
    retained,
    rates: retained.map((r) => (r === null ? null : ratio(r, counts.size))),
  };
}

/** Runs a retention insight: first-time or recurring cohorts, exact or unbounded returns. */
export async function runRetention(ctx: RunContext, spec: RetentionSpec): Promise<RetentionResult> {
  const rows = await runPlan(ctx, planRetention(spec, ctx.plan));
  const periods = rows.filter((r) => r.part === 'period').map((r) => String(r.cohort));
  const sizes = countsBy(rows, 'size');
  const exact = countsBy(rows, 'exact');
  const furthest = countsBy(rows, 'furthest');
  const cohorts = periods.map((c, i) =>
    cohortRow(c, i, periods.length, spec, {
      size: sizes.get(c)?.get(0) ?? 0,
      exact: exact.get(c),
      furthest: furthest.get(c),
    }),
  );
  const average = Array.from({ length: (spec.periods ?? 8) + 1 }, (_, n) => {
    let kept = 0;
    let size = 0;
    for (const c of cohorts) {
      const r = c.retained[n];
      if (r === null || r === undefined) continue;
      kept += r;
      size += c.size;
    }
    return ratio(kept, size);
  });
  return {
    kind: 'retention',
    dateRange: dateRangeOf(ctx.plan),
    timeZone: ctx.plan.timeZone,
    period: spec.period ?? 'day',
    cohortType: spec.cohort ?? 'first_time',
    returnMode: spec.returnMode ?? 'exact',
    cohorts,
    average,
  };
}
