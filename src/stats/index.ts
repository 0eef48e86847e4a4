/**
 * Statistics for experiments and diagnostics: pure functions, arrays and numbers in, results out.
 * Distribution functions come from @stdlib; the tests are written here. Definitions (pooled or
 * unpooled errors, interval methods, formulas) are stated in README, "Experiments and statistics".
 */

/** Bayesian comparisons: beta-binomial for conversions, normal for means. */
export { type BayesOptions, type BayesResult, bayesBinomial, bayesNormal } from './bayes.js';
/** Chi-square test of k variants and the sample-ratio-mismatch check. */
export {
  type ChiSquareResult,
  chiSquareTest,
  SRM_THRESHOLD,
  type SrmResult,
  srmCheck,
} from './chi-square.js';
/** CUPED variance reduction with a pre-exposure covariate. */
export { type CupedAdjustedArm, type CupedArm, type CupedResult, cuped, cupedMoments } from './cuped.js';
/** Bad input (a count above n, alpha outside (0, 1), …); callers map it to PW_STATS_INVALID_INPUT. */
export { StatsInputError } from './errors.js';
/** Relative-lift interval by the delta method on the log ratio (for any two independent means). */
export { logRatioInterval } from './lift.js';
/** Welch's t-test from summary statistics, and summary statistics of a sample. */
export { summarize, welchTTest } from './means.js';
/** Multiple-comparison adjustments: Holm (FWER) and Benjamini–Hochberg (FDR). */
export { type AdjustedPValues, benjaminiHochberg, holm } from './multiple.js';
/** Power, sample size and minimum detectable effect for proportions and means. */
export {
  type Mde,
  type MdeInput,
  type MeanEffect,
  mdeMeans,
  mdeProportions,
  type PowerDesign,
  type ProportionEffect,
  powerMeans,
  powerProportions,
  type SampleSize,
  sampleSizeMeans,
  sampleSizeProportions,
} from './power.js';
/** Two-proportion z-test (pooled test, unpooled interval, log-ratio relative interval). */
export { twoProportionZTest } from './proportions.js';
/** Ratio metrics (Σnumerator/Σdenominator per arm) with delta-method variances. */
export { type RatioArm, ratioEstimate, ratioTest, summarizeRatio } from './ratio.js';
/** Mixture SPRT: always-valid p-values and confidence sequences. */
export {
  alwaysValidPValues,
  MSPRT_TUNING_N,
  type MsprtOptions,
  type MsprtResult,
  msprt,
} from './sequential.js';
/** Shared shapes: alternatives, intervals, arms and a comparison result. */
export type {
  Alternative,
  ComparisonResult,
  Interval,
  MeanArm,
  ProportionArm,
  TestOptions,
} from './types.js';
/** Winsorization at percentiles (type 7), caps pooled over arms. */
export {
  clip,
  quantileSorted,
  type WinsorCaps,
  type WinsorizeOptions,
  winsorCaps,
  winsorize,
} from './winsorize.js';
