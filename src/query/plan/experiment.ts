import { PathwiseError } from '../../core/index.js';
import type { FilterTree } from '../spec/filter.js';
import { eventMatch, filterExpr } from './filters.js';
import type {
  ExperimentExposurePlan,
  ExperimentExposuresPlan,
  ExperimentMetricColumns,
  ExperimentMetricsPlan,
  UnitValue,
} from './nodes.js';

/** Who is in an experiment: the exposure event, where its variant is, and the exposure range. */
export interface ExperimentScope {
  readonly projectId: string;
  readonly event: string;
  readonly variantProperty: string;
  readonly where?: FilterTree | undefined;
  readonly variants: readonly string[];
  /** Exposures at or after this instant (µs) … */
  readonly fromUs: number;
  /** … and before this one. */
  readonly toUs: number;
}

/** An event selection summed per unit: the property's value, or a count when no property. */
export interface ValueSelection {
  readonly event: string;
  readonly property?: string | undefined;
  readonly where?: FilterTree | undefined;
}

/** One metric as the query layer reads it (README, "Experiments and statistics"). */
export interface ExperimentMetricQuery {
  readonly kind: 'conversion' | 'mean' | 'ratio';
  readonly outcome: ValueSelection;
  readonly denominator?: ValueSelection | undefined;
  readonly windowSec: number;
  /** The CUPED pre-exposure period; absent: no covariate. */
  readonly lookbackSec?: number | undefined;
  readonly winsorize?: { readonly upper: number; readonly lower?: number | undefined } | undefined;
}

function exposureOf(s: ExperimentScope): ExperimentExposurePlan {
  return {
    scope: { projectId: s.projectId, fromUs: s.fromUs, toUs: s.toUs, timeZone: 'UTC' },
    event: s.event,
    where: s.where ? filterExpr(s.where) : null,
    variantProperty: s.variantProperty,
  };
}

function unitValue(v: ValueSelection): UnitValue {
  return { match: eventMatch(v), property: v.property ?? null };
}

/** Plans the exposure counts of an experiment. */
export function planExperimentExposures(s: ExperimentScope): ExperimentExposuresPlan {
  return { kind: 'experimentExposures', exposure: exposureOf(s) };
}

function metricColumns(m: ExperimentMetricQuery): ExperimentMetricColumns {
  const isRatio = m.kind === 'ratio';
  return {
    metric: m.kind,
    outcome: unitValue(m.outcome),
    denominator: isRatio && m.denominator ? unitValue(m.denominator) : null,
    windowUs: m.windowSec * 1_000_000,
    lookbackUs: !isRatio && m.lookbackSec !== undefined ? m.lookbackSec * 1_000_000 : null,
    winsorize:
      m.kind === 'mean' && m.winsorize
        ? { upper: m.winsorize.upper, lower: m.winsorize.lower ?? null }
        : null,
  };
}

/** Plans the per-variant moments of metrics; CUPED covariates only for conversion and mean metrics. */
export function planExperimentMetrics(
  s: ExperimentScope,
  metrics: readonly ExperimentMetricQuery[],
): ExperimentMetricsPlan {
  if (metrics.length === 0)
    throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason: 'no metric to compute' });
  return {
    kind: 'experimentMetrics',
    exposure: exposureOf(s),
    variants: s.variants,
    metrics: metrics.map(metricColumns),
  };
}
