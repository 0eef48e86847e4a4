import { nowUs as clockUs, formatInstantUs, PathwiseError, parseInstantUs } from '../core/index.js';
import {
  type ExperimentExposureCounts,
  type ExperimentMetricMoments,
  type ExperimentMetricQuery,
  type ExperimentScope,
  runExperimentExposures,
  runExperimentMetrics,
  type Warehouse,
} from '../query/index.js';
import { MSPRT_TUNING_N, srmCheck } from '../stats/index.js';
import { analyzeMetric, correctAll } from './compare.js';
import type { ExperimentAnalysis, MetricAnalysis } from './result.js';
import { EXPERIMENT_DEFAULTS, type ExperimentDefinition, type ExperimentMetric } from './spec.js';
import { verdictLines } from './verdict.js';

/** Options of an analysis; `nowUs` is the end of an experiment without `end` (tests pin it). */
export interface AnalyzeOptions {
  readonly nowUs?: number;
}

function instant(value: string): number {
  const us = parseInstantUs(value);
  if (us === null)
    throw new PathwiseError('PW_EXPERIMENT_INVALID', { reason: `"${value}" is not an instant` });
  return us;
}

function metricQuery(m: ExperimentMetric, lookbackSec: number | undefined): ExperimentMetricQuery {
  const windowSec = m.windowSec ?? EXPERIMENT_DEFAULTS.windowSec;
  if (m.kind === 'ratio')
    return { kind: 'ratio', outcome: m.numerator, denominator: m.denominator, windowSec };
  const outcome = { event: m.event, where: m.where, property: m.kind === 'mean' ? m.property : undefined };
  const winsorize = m.kind === 'mean' ? m.winsorize : undefined;
  return { kind: m.kind, outcome, windowSec, lookbackSec, winsorize };
}

/** Persons per arm against the planned split, the exclusions and the SRM check. */
function exposureSection(
  def: ExperimentDefinition,
  exposures: ExperimentExposureCounts,
): ExperimentAnalysis['exposure'] {
  const split = def.split ?? def.variants.map(() => 1);
  const splitSum = split.reduce((s, w) => s + w, 0);
  const observed = def.variants.map((v) => exposures.units[v] ?? 0);
  const srm = observed.some((n) => n > 0) ? srmCheck(observed, split) : null;
  return {
    arms: def.variants.map((variant, i) => ({
      variant,
      units: observed[i] ?? 0,
      expectedShare: (split[i] ?? 0) / splitSum,
    })),
    multipleVariantUnits: exposures.multipleVariantUnits,
    unknownVariantUnits: exposures.unknownVariantUnits,
    srm: srm && {
      statistic: srm.statistic,
      df: srm.df,
      pValue: srm.pValue,
      isMismatch: srm.isMismatch,
      threshold: srm.threshold,
    },
  };
}

/**
 * Analyzes an experiment from the events: exposures and SRM, then every metric with every
 * statistic (README, "Experiments and statistics"), multiple-comparison correction and verdicts.
 */
export async function analyzeExperiment(
  wh: Warehouse,
  projectId: string,
  def: ExperimentDefinition,
  options: AnalyzeOptions = {},
): Promise<ExperimentAnalysis> {
  const fromUs = instant(def.start);
  const toUs = def.end !== undefined ? instant(def.end) : (options.nowUs ?? clockUs());
  const scope: ExperimentScope = {
    projectId,
    event: def.exposure.event,
    variantProperty: def.exposure.variantProperty ?? EXPERIMENT_DEFAULTS.variantProperty,
    where: def.exposure.where,
    variants: def.variants,
    fromUs,
    toUs,
  };
  const exposure = exposureSection(def, await runExperimentExposures(wh, scope));
  const settings = {
    alpha: def.alpha ?? EXPERIMENT_DEFAULTS.alpha,
    correction: def.correction ?? EXPERIMENT_DEFAULTS.correction,
    sequentialTuningN: def.sequential?.tuningN ?? MSPRT_TUNING_N,
    cupedLookbackSec: def.cuped?.lookbackSec ?? null,
  };
  const compare = {
    control: def.control,
    alpha: settings.alpha,
    tuningN: settings.sequentialTuningN,
    hasCuped: def.cuped !== undefined,
  };
  const queries = def.metrics.map((m) => metricQuery(m, def.cuped?.lookbackSec));
  const moments = await runExperimentMetrics(wh, scope, queries);
  const metrics: MetricAnalysis[] = def.metrics.map((m, i) =>
    analyzeMetric(
      m,
      queries[i]?.windowSec ?? EXPERIMENT_DEFAULTS.windowSec,
      moments[i] as ExperimentMetricMoments,
      compare,
    ),
  );
  const analysis = {
    key: def.key,
    control: def.control,
    range: { from: formatInstantUs(fromUs), to: formatInstantUs(toUs) },
    settings,
    exposure,
    metrics: correctAll(metrics, settings.correction),
  };
  return { ...analysis, verdicts: verdictLines(analysis) };
}
