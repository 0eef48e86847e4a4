import { PathwiseError } from '../../core/index.js';
import { findProject, type Row, type Warehouse } from '../../store/index.js';
import { duckdbDialect } from '../emit/duckdb/index.js';
import {
  type ExperimentMetricQuery,
  type ExperimentScope,
  planExperimentExposures,
  planExperimentMetrics,
} from '../plan/experiment.js';
import { num, type RunContext, runPlan } from './context.js';

/** Exposed units per listed variant, and the units the analysis must leave out. */
export interface ExperimentExposureCounts {
  /** Units exposed to exactly one variant, per listed variant (0 when none). */
  readonly units: Readonly<Record<string, number>>;
  /** Units exposed to more than one variant value: excluded. */
  readonly multipleVariantUnits: number;
  /** Units exposed only to a variant value that is not listed: excluded. */
  readonly unknownVariantUnits: number;
}

/** One variant's moments of a metric over its units (sample variances and covariance, n − 1). */
export interface MetricMoments {
  readonly variant: string;
  readonly n: number;
  readonly sumY: number;
  readonly meanY: number;
  readonly varY: number;
  readonly meanX: number | null;
  readonly varX: number | null;
  readonly covXY: number | null;
}

/** Per-variant moments (in the order of the scope's variants) and the winsorization caps used. */
export interface ExperimentMetricMoments {
  readonly variants: readonly MetricMoments[];
  readonly caps: { readonly lower: number | null; readonly upper: number | null };
}

/** The run context and the scope with the project resolved (an id or a name may be given). */
async function resolve(
  wh: Warehouse,
  scope: ExperimentScope,
): Promise<{ ctx: RunContext; scope: ExperimentScope }> {
  if (wh.dialect !== duckdbDialect.name)
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: `no emitter for "${wh.dialect}"` });
  const project = await findProject(wh, scope.projectId);
  const plan = {
    projectId: project.projectId,
    timeZone: project.timeZone,
    fromUs: scope.fromUs,
    toUs: scope.toUs,
  };
  return {
    ctx: { wh, dialect: duckdbDialect, nowUs: 0, plan },
    scope: { ...scope, projectId: project.projectId },
  };
}

/** Counts an experiment's exposed units per variant (first exposure per person key). */
export async function runExperimentExposures(
  wh: Warehouse,
  scope: ExperimentScope,
): Promise<ExperimentExposureCounts> {
  const { ctx, scope: resolved } = await resolve(wh, scope);
  const rows = await runPlan(ctx, planExperimentExposures(resolved));
  const units: Record<string, number> = Object.fromEntries(scope.variants.map((v) => [v, 0]));
  let multipleVariantUnits = 0;
  let unknownVariantUnits = 0;
  for (const r of rows) {
    const count = Number(r.units);
    const variant = String(r.variant);
    if (r.is_multiple === true) multipleVariantUnits += count;
    else if (scope.variants.includes(variant)) units[variant] = count;
    else unknownVariantUnits += count;
  }
  return { units, multipleVariantUnits, unknownVariantUnits };
}

function finite(v: unknown): number | null {
  const n = num(v);
  return n === null || !Number.isFinite(n) ? null : n;
}

function momentsOf(variant: string, r: Row | undefined, i: number): MetricMoments {
  return {
    variant,
    n: Number(r?.n ?? 0),
    sumY: Number(r?.[`sum_y${i}`] ?? 0),
    meanY: finite(r?.[`mean_y${i}`]) ?? 0,
    varY: finite(r?.[`var_y${i}`]) ?? 0,
    meanX: finite(r?.[`mean_x${i}`]),
    varX: finite(r?.[`var_x${i}`]),
    covXY: finite(r?.[`cov_xy${i}`]),
  };
}

/**
 * Per-variant moments of each metric (in the order given), computed in the store in one pass
 * over the events: no per-unit rows leave it.
 */
export async function runExperimentMetrics(
  wh: Warehouse,
  scope: ExperimentScope,
  metrics: readonly ExperimentMetricQuery[],
): Promise<ExperimentMetricMoments[]> {
  const { ctx, scope: resolved } = await resolve(wh, scope);
  const rows = await runPlan(ctx, planExperimentMetrics(resolved, metrics));
  const byVariant = new Map(rows.map((r) => [String(r.variant), r]));
  const first = rows[0];
  return metrics.map((_, i) => ({
    variants: scope.variants.map((v) => momentsOf(v, byVariant.get(v), i)),
    caps: { lower: finite(first?.[`cap_lo${i}`]), upper: finite(first?.[`cap_hi${i}`]) },
  }));
}
