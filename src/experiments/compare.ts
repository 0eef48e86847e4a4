import type { ExperimentMetricMoments, MetricMoments } from '../query/index.js';
import {
  bayesBinomial,
  bayesNormal,
  benjaminiHochberg,
  type ComparisonResult,
  type CupedResult,
  chiSquareTest,
  cuped,
  holm,
  type MeanArm,
  msprt,
  type RatioArm,
  ratioEstimate,
  ratioTest,
  StatsInputError,
  twoProportionZTest,
  welchTTest,
} from '../stats/index.js';
import type { MetricAnalysis, VariantComparison } from './result.js';
import type { ExperimentMetric } from './spec.js';

/** What a metric's comparisons need besides its moments. */
export interface CompareSettings {
  readonly control: string;
  readonly alpha: number;
  readonly tuningN: number;
  readonly hasCuped: boolean;
}

const TEST_NAME: Readonly<Record<ExperimentMetric['kind'], string>> = {
  conversion: 'two-proportion z-test',
  mean: "Welch's t-test",
  ratio: 'delta-method z-test',
};

function meanArm(m: MetricMoments): MeanArm {
  return { n: m.n, mean: m.meanY, variance: m.varY };
}

function ratioArm(m: MetricMoments): RatioArm {
  return {
    n: m.n,
    meanNumerator: m.meanY,
    meanDenominator: m.meanX ?? 0,
    varNumerator: m.varY,
    varDenominator: m.varX ?? 0,
    covariance: m.covXY ?? 0,
  };
}

function proportionArm(m: MetricMoments) {
  return { conversions: Math.round(m.sumY), n: m.n };
}

/** The unadjusted test and the Bayesian view for one metric kind. */
function testOf(kind: ExperimentMetric['kind'], c: MetricMoments, v: MetricMoments, alpha: number) {
  if (kind === 'conversion') {
    const [pc, pv] = [proportionArm(c), proportionArm(v)];
    return {
      result: twoProportionZTest(pc, pv, { alpha }),
      bayes: bayesBinomial(pc, pv, { credibleLevel: 1 - alpha }),
    };
  }
  if (kind === 'mean') {
    const [mc, mv] = [meanArm(c), meanArm(v)];
    return {
      result: welchTTest(mc, mv, { alpha }),
      bayes: bayesNormal(mc, mv, { credibleLevel: 1 - alpha }),
    };
  }
  const [rc, rv] = [ratioEstimate(ratioArm(c)), ratioEstimate(ratioArm(v))];
  // The ratio's normal posterior under a flat prior: mean R̂, variance the delta-method one.
  const asMean = (r: { ratio: number; variance: number }, n: number) => ({
    n,
    mean: r.ratio,
    variance: r.variance * n,
  });
  return {
    result: ratioTest(ratioArm(c), ratioArm(v), { alpha }),
    bayes: bayesNormal(asMean(rc, c.n), asMean(rv, v.n), { credibleLevel: 1 - alpha }),
  };
}

/** CUPED's adjusted control and variant arms, with the experiment-wide theta. */
interface CupedPair {
  readonly theta: number;
  readonly covariateMean: number;
  readonly varianceReduction: number;
  readonly control: MeanArm;
  readonly variant: MeanArm;
}

function skipped(variant: string, kind: ExperimentMetric['kind'], reason: string): VariantComparison {
  return {
    variant,
    test: TEST_NAME[kind],
    result: null,
    cuped: null,
    adjustedPValue: null,
    sequential: null,
    bayes: null,
    skipped: reason,
  };
}

function compareVariant(
  kind: ExperimentMetric['kind'],
  c: MetricMoments,
  v: MetricMoments,
  adjusted: CupedPair | null,
  s: CompareSettings,
): VariantComparison {
  if (c.n < 2 || v.n < 2) return skipped(v.variant, kind, 'each arm needs at least 2 exposed persons');
  try {
    const { result, bayes } = testOf(kind, c, v, s.alpha);
    const cupedPart = adjusted
      ? {
          theta: adjusted.theta,
          covariateMean: adjusted.covariateMean,
          varianceReduction: adjusted.varianceReduction,
          result: plain(welchTTest(adjusted.control, adjusted.variant, { alpha: s.alpha })),
        }
      : null;
    const headline = cupedPart?.result ?? result;
    const seq = msprt(headline.difference, headline.standardError, c.n + v.n, {
      alpha: s.alpha,
      tuningN: s.tuningN,
    });
    return {
      variant: v.variant,
      test: TEST_NAME[kind],
      result: plain(result),
      cuped: cupedPart,
      adjustedPValue: headline.pValue,
      sequential: { pValue: seq.pValue, ci: seq.ci },
      bayes,
      skipped: null,
    };
  } catch (err) {
    if (err instanceof StatsInputError) return skipped(v.variant, kind, err.reason);
    throw err;
  }
}

/** Only the ComparisonResult fields (Welch adds df, which the response does not carry). */
function plain(r: ComparisonResult): ComparisonResult {
  const {
    controlMean,
    variantMean,
    difference,
    differenceCi,
    relativeLift,
    relativeLiftCi,
    statistic,
    pValue,
    standardError,
  } = r;
  return {
    controlMean,
    variantMean,
    difference,
    differenceCi,
    relativeLift,
    relativeLiftCi,
    statistic,
    pValue,
    standardError,
  };
}

/** CUPED over every arm with a covariate: one theta for the whole experiment (README). */
function cupedOf(moments: readonly MetricMoments[]): CupedResult | null {
  if (moments.some((m) => m.n < 2 || m.meanX === null || m.varX === null || m.covXY === null)) return null;
  return cuped(
    moments.map((m) => ({
      n: m.n,
      meanY: m.meanY,
      meanX: m.meanX ?? 0,
      varY: m.varY,
      varX: m.varX ?? 0,
      covXY: m.covXY ?? 0,
    })),
  );
}

function armValue(kind: ExperimentMetric['kind'], m: MetricMoments): number | null {
  if (m.n === 0) return null;
  if (kind !== 'ratio') return m.meanY;
  return m.meanX !== null && m.meanX > 0 ? m.meanY / m.meanX : null;
}

/** Every statistic of one metric from its per-variant moments (pure). */
export function analyzeMetric(
  metric: ExperimentMetric,
  windowSec: number,
  moments: ExperimentMetricMoments,
  s: CompareSettings,
): MetricAnalysis {
  const arms = moments.variants;
  const control = arms.find((m) => m.variant === s.control);
  if (!control) throw new Error(`control ${s.control} has no moments`);
  const adjusted = s.hasCuped && metric.kind !== 'ratio' ? cupedOf(arms) : null;
  const controlIndex = arms.indexOf(control);
  const comparisons = arms.flatMap((v, i) => {
    if (v === control) return [];
    const adj = adjusted
      ? {
          theta: adjusted.theta,
          covariateMean: adjusted.covariateMean,
          varianceReduction: adjusted.varianceReduction,
          control: adjusted.arms[controlIndex] as MeanArm,
          variant: adjusted.arms[i] as MeanArm,
        }
      : null;
    return [compareVariant(metric.kind, control, v, adj, s)];
  });
  const canChiSquare = metric.kind === 'conversion' && arms.every((m) => m.n > 0);
  return {
    key: metric.key,
    kind: metric.kind,
    windowSec,
    arms: arms.map((m) => ({ variant: m.variant, n: m.n, value: armValue(metric.kind, m), sum: m.sumY })),
    winsorCaps: metric.kind === 'mean' && metric.winsorize ? moments.caps : null,
    chiSquare: canChiSquare ? chiSquareTest(arms.map(proportionArm)) : null,
    comparisons,
  };
}

/**
 * Adjusts the headline p-values of every comparison of every metric together (Holm by default;
 * README, "Experiments and statistics").
 */
export function correctAll(
  metrics: readonly MetricAnalysis[],
  method: 'holm' | 'benjamini-hochberg' | 'none',
): MetricAnalysis[] {
  const raw = metrics.flatMap((m) =>
    m.comparisons.flatMap((c) => (c.adjustedPValue === null ? [] : [c.adjustedPValue])),
  );
  const adjusted =
    method === 'none' ? raw : (method === 'holm' ? holm(raw) : benjaminiHochberg(raw)).adjusted;
  let i = 0;
  return metrics.map((m) => ({
    ...m,
    comparisons: m.comparisons.map((c) =>
      c.adjustedPValue === null ? c : { ...c, adjustedPValue: adjusted[i++] ?? null },
    ),
  }));
}
