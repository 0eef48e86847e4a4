import type { Row } from '../../store/index.js';
import { HISTOGRAM_EDGES_SEC } from '../emit/duckdb/index.js';
import { planFunnel, planFunnelPersons } from '../plan/planner.js';
import type { FunnelSpec } from '../spec/insights.js';
import { dateRangeOf, num, type ResolvedDateRange, type RunContext, ratio, runPlan } from './context.js';

/** One bin of a time-to-convert histogram; `toSec` null for the open last bin. */
export interface HistogramBin {
  readonly fromSec: number;
  readonly toSec: number | null;
  readonly count: number;
}

/** A funnel step's numbers (README, "Insights"). `count` is the number of units reaching it. */
export interface FunnelStepResult {
  readonly index: number;
  readonly event: string;
  readonly label: string;
  readonly count: number;
  readonly conversionFromPrevious: number | null;
  readonly conversionFromFirst: number | null;
  readonly dropOff: number;
  readonly dropOffRate: number | null;
  readonly avgTimeToConvertSec: number | null;
  readonly medianTimeToConvertSec: number | null;
  readonly timeToConvertHistogram: readonly HistogramBin[];
}

/** A funnel's result. */
export interface FunnelResult {
  readonly kind: 'funnel';
  readonly dateRange: ResolvedDateRange;
  readonly timeZone: string;
  readonly mode: 'ordered' | 'strict' | 'unordered';
  readonly countBy: 'person' | 'session';
  readonly windowSec: number;
  readonly steps: readonly FunnelStepResult[];
  readonly breakdown?: readonly {
    readonly value: string | null;
    readonly steps: readonly FunnelStepResult[];
  }[];
  readonly trend: readonly {
    readonly cohort: string;
    readonly entered: number;
    readonly converted: number;
    readonly conversionRate: number | null;
  }[];
  readonly persons?: {
    readonly step: number;
    readonly status: 'converted' | 'dropped';
    readonly total: number;
    readonly offset: number;
    readonly limit: number;
    readonly items: readonly {
      readonly id: string;
      readonly stepsReached: number;
      readonly startedAt: string;
    }[];
  };
}

const US_PER_SEC = 1_000_000;

function histogram(rows: readonly Row[], k: number): HistogramBin[] {
  if (k === 0 || rows.length === 0) return [];
  const edges = [0, ...HISTOGRAM_EDGES_SEC];
  const counts = new Map<number, number>();
  for (const r of rows) if (r.part === 'hist' && r.k === k) counts.set(Number(r.bin), Number(r.n));
  return edges.map((from, i) => ({ fromSec: from, toSec: edges[i + 1] ?? null, count: counts.get(i) ?? 0 }));
}

function stepResults(spec: FunnelSpec, rows: readonly Row[], hist: readonly Row[]): FunnelStepResult[] {
  const byK = new Map(rows.map((r) => [Number(r.k), r]));
  const counts = spec.steps.map((_, k) => num(byK.get(k)?.n) ?? 0);
  const first = counts[0] ?? 0;
  return spec.steps.map((step, k) => {
    const row = byK.get(k);
    const count = counts[k] ?? 0;
    const prev = k === 0 ? count : (counts[k - 1] ?? 0);
    const avg = k === 0 ? null : num(row?.avg_us);
    const median = k === 0 ? null : num(row?.median_us);
    return {
      index: k + 1,
      event: step.event,
      label: step.label ?? step.event,
      count,
      conversionFromPrevious: k === 0 ? ratio(count, count) : ratio(count, prev),
      conversionFromFirst: ratio(count, first),
      dropOff: prev - count,
      dropOffRate: k === 0 ? 0 : ratio(prev - count, prev),
      avgTimeToConvertSec: avg === null ? null : avg / US_PER_SEC,
      medianTimeToConvertSec: median === null ? null : median / US_PER_SEC,
      timeToConvertHistogram: histogram(hist, k),
    };
  });
}

function breakdownResults(spec: FunnelSpec, rows: readonly Row[]): FunnelResult['breakdown'] {
  const byValue = new Map<string | null, Row[]>();
  for (const r of rows) {
    if (r.part !== 'step' || r.is_total) continue;
    const v = r.bd === null || r.bd === undefined ? null : String(r.bd);
    byValue.set(v, [...(byValue.get(v) ?? []), r]);
  }
  const all = [...byValue.entries()].map(([value, rs]) => ({ value, steps: stepResults(spec, rs, []) }));
  all.sort(
    (a, b) =>
      (b.steps[0]?.count ?? 0) - (a.steps[0]?.count ?? 0) || String(a.value).localeCompare(String(b.value)),
  );
  return all.slice(0, spec.breakdown?.limit ?? 25);
}

function trendResults(spec: FunnelSpec, rows: readonly Row[]): FunnelResult['trend'] {
  const byCohort = new Map<string, { entered: number; converted: number }>();
  for (const r of rows) {
    if (r.part !== 'trend') continue;
    const c = byCohort.get(String(r.cohort)) ?? { entered: 0, converted: 0 };
    c.entered += Number(r.n);
    if (Number(r.k) >= spec.steps.length) c.converted += Number(r.n);
    byCohort.set(String(r.cohort), c);
  }
  return [...byCohort.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cohort, c]) => ({ cohort, ...c, conversionRate: ratio(c.converted, c.entered) }));
}

/** Runs a funnel: steps, breakdown, cohort trend and, when asked, one page of persons. */
export async function runFunnel(ctx: RunContext, spec: FunnelSpec): Promise<FunnelResult> {
  const plan = planFunnel(spec, ctx.plan);
  const rows = await runPlan(ctx, plan);
  const totals = rows.filter((r) => r.part === 'step' && r.is_total);
  const result: FunnelResult = {
    kind: 'funnel',
    dateRange: dateRangeOf(ctx.plan),
    timeZone: ctx.plan.timeZone,
    mode: plan.mode,
    countBy: plan.unit,
    windowSec: plan.windowUs / US_PER_SEC,
    steps: stepResults(spec, totals, rows),
    ...(spec.breakdown ? { breakdown: breakdownResults(spec, rows) } : {}),
    trend: trendResults(spec, rows),
  };
  const personsPlan = planFunnelPersons(spec, plan);
  if (!personsPlan) return result;
  const page = await runPlan(ctx, personsPlan);
  return {
    ...result,
    persons: {
      step: personsPlan.step + 1,
      status: personsPlan.status,
      total: num(page[0]?.total) ?? 0,
      offset: personsPlan.offset,
      limit: personsPlan.limit,
      items: page
        .filter((r) => r.id !== null)
        .map((r) => ({
          id: String(r.id),
          stepsReached: Number(r.level),
          startedAt: String(r.started_at),
        })),
    },
  };
}
