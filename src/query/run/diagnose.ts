import type { Row, Warehouse } from '../../store/index.js';
import type { FunnelUnitsPlan, SegmentCondition } from '../plan/nodes.js';
import { planFunnelUnits, segmentSets } from '../plan/planner.js';
import { resolveInstant } from '../plan/range.js';
import type { FunnelSpec, SegmentBy } from '../spec/insights.js';
import { dateRangeOf, num, type ResolvedDateRange, type RunContext, runPlan } from './context.js';
import { createRunContext, type QueryOptions } from './query.js';

/** The store a query runs on (what analyses outside query hand to it). */
export type QueryStore = Warehouse;

/** Units at a step (`n`) and how many of them reached the next step (`c`). */
export interface StepCount {
  readonly n: number;
  readonly c: number;
}

/** A segment's counts at step `step` (0-based: the move from step `step` to `step + 1`). */
export interface SegmentCounts {
  readonly step: number;
  /** Empty for everyone; one condition per dimension of the segment, by dimension index. */
  readonly conditions: readonly SegmentCondition[];
  /** All entrants, converted within the funnel window: the funnel insight's own numbers. */
  readonly window: StepCount;
  /** Mature entrants (step at least the horizon before the range end), converted within the horizon. */
  readonly horizon: StepCount;
  /** Mature counts before and after the split instant, when one was given. */
  readonly before: StepCount | null;
  readonly after: StepCount | null;
}

/** Mature entrants and conversions within the horizon on one local day. */
export interface DailyCount {
  readonly day: string;
  readonly n: number;
  readonly c: number;
}

/** A segment at one step, for a daily series. */
export interface SegmentAtStep {
  readonly step: number;
  readonly conditions: readonly SegmentCondition[];
}

/** Units with a feature before the step, by outcome. */
export interface FeatureCount {
  readonly step: number;
  readonly event: string;
  /** The property, or null for the event itself. */
  readonly property: string | null;
  readonly value: string | null;
  readonly converted: number;
  readonly dropped: number;
}

/** Options of the diagnosis queries. */
export interface FunnelUnitsOptions extends QueryOptions {
  readonly dimensions: readonly SegmentBy[];
  readonly horizonSec: number;
}

/** What the segment counts are asked for. */
export interface SegmentsRequest {
  readonly isPairs: boolean;
  readonly minUnits: number;
  readonly topValues: number;
  readonly splitUs: number | null;
  readonly features: {
    readonly properties: readonly string[];
    readonly lookbackSec: number;
    readonly minUnits: number;
    readonly maxFeatures: number;
  } | null;
}

/** Mature entrants per step (`totals[k]`) and the units with each feature before step k. */
export interface FeatureCounts {
  readonly totals: StepCount[];
  readonly features: FeatureCount[];
}

const count = (v: unknown) => num(v) ?? 0;

function featureCounts(rows: readonly Row[], properties: readonly string[], steps: number): FeatureCounts {
  const totals: StepCount[] = Array.from({ length: steps - 1 }, () => ({ n: 0, c: 0 }));
  const features: FeatureCount[] = [];
  for (const r of rows) {
    const converted = count(r.a);
    const dropped = count(r.b);
    if (r.part === 'total') totals[count(r.k)] = { n: converted + dropped, c: converted };
    if (r.part !== 'feature') continue;
    const prop = count(r.prop);
    features.push({
      step: count(r.k),
      event: String(r.event),
      property: prop < 0 ? null : (properties[prop] ?? null),
      value: r.val === null || r.val === undefined ? null : String(r.val),
      converted,
      dropped,
    });
  }
  return { totals, features };
}

function conditionsOf(row: Row, sets: readonly (readonly number[])[]): SegmentCondition[] {
  const set = sets[count(row.sid)];
  if (count(row.sid) < 0 || !set) return [];
  return set.map((dimension, i) => {
    const v = i === 0 ? row.v1 : row.v2;
    return { dimension, value: v === null || v === undefined ? null : String(v) };
  });
}

function segmentRow(row: Row, sets: readonly (readonly number[])[], hasSplit: boolean): SegmentCounts {
  return {
    step: count(row.k),
    conditions: conditionsOf(row, sets),
    window: { n: count(row.n_all), c: count(row.c_all) },
    horizon: { n: count(row.n), c: count(row.c) },
    before: hasSplit ? { n: count(row.n0), c: count(row.c0) } : null,
    after: hasSplit ? { n: count(row.n1), c: count(row.c1) } : null,
  };
}

/**
 * The queries of a funnel diagnosis over one funnel and range (README, "Funnel diagnostics"):
 * the funnel itself, segment counts, daily series and feature counts. Every number is computed
 * in the store from the funnel engine's best chains; nothing here builds SQL.
 */
export class FunnelDiagnosisSource {
  /** The resolved range and the project's zone. */
  readonly dateRange: ResolvedDateRange;

  constructor(
    private readonly ctx: RunContext,
    private readonly spec: FunnelSpec,
    private readonly units: FunnelUnitsPlan,
  ) {
    this.dateRange = dateRangeOf(ctx.plan);
  }

  /** The range end minus the horizon: later step entrants are not mature. */
  get matureUntilUs(): number {
    return this.ctx.plan.toUs - this.units.horizonUs;
  }

  /** A date (local day start) or instant as epoch µs, in the project's zone. */
  instantUs(value: string, option: string): number {
    return resolveInstant(value, this.ctx.plan.timeZone, option);
  }

  /**
   * Counts per step for everyone, each dimension value and (optionally) each pair of values,
   * and, when `features` is given, feature counts — in one statement.
   */
  async segments(
    req: SegmentsRequest,
  ): Promise<{ segments: SegmentCounts[]; features: FeatureCounts | null }> {
    const f = req.features;
    const features =
      f === null
        ? null
        : {
            properties: f.properties,
            lookbackUs: Math.round(f.lookbackSec * 1_000_000),
            minUnits: f.minUnits,
            maxFeatures: f.maxFeatures,
          };
    const rows = await runPlan(this.ctx, { kind: 'funnelSegments', units: this.units, ...req, features });
    const sets = segmentSets(this.units.dimensions.length, req.isPairs);
    const segments = rows
      .filter((r) => r.part === 'segment')
      .map((r) => segmentRow(r, sets, req.splitUs !== null));
    return {
      segments,
      features: f === null ? null : featureCounts(rows, f.properties, this.spec.steps.length),
    };
  }

  /** Daily counts per step overall (`overall[k]`) and for each requested segment (`segments[i]`). */
  async series(
    segments: readonly SegmentAtStep[],
  ): Promise<{ overall: DailyCount[][]; segments: DailyCount[][] }> {
    const rows = await runPlan(this.ctx, { kind: 'funnelSeries', units: this.units, segments });
    const overall: DailyCount[][] = this.spec.steps.slice(1).map(() => []);
    const bySegment: DailyCount[][] = segments.map(() => []);
    for (const r of rows) {
      const point = { day: String(r.day), n: count(r.n), c: count(r.c) };
      const seg = count(r.seg);
      if (seg < 0) overall[count(r.k)]?.push(point);
      else bySegment[seg]?.push(point);
    }
    return { overall, segments: bySegment };
  }
}

/** Opens the diagnosis queries of a funnel spec for a project (its range resolved in the project's zone). */
export async function openFunnelDiagnosis(
  wh: Warehouse,
  projectId: string,
  spec: FunnelSpec,
  options: FunnelUnitsOptions,
): Promise<FunnelDiagnosisSource> {
  const ctx = await createRunContext(wh, projectId, spec.dateRange, options);
  const units = planFunnelUnits(spec, ctx.plan, options.dimensions, options.horizonSec);
  return new FunnelDiagnosisSource(ctx, spec, units);
}
