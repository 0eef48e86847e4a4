/**
 * The alternative hypothesis, always about variant − control: "greater" means the variant is
 * better (larger), as scipy's alternative="greater" for ttest_ind(variant, control).
 */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** A two-sided interval [lower, upper]. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** Conversions out of exposed units in one arm. */
export interface ProportionArm {
  readonly conversions: number;
  readonly n: number;
}

/** Summary statistics of a numeric metric in one arm (variance with n − 1 in the denominator). */
export interface MeanArm {
  readonly mean: number;
  readonly variance: number;
  readonly n: number;
}

/** Test options shared by the frequentist tests. */
export interface TestOptions {
  /** Significance level; intervals are two-sided at 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** Default "two-sided". */
  readonly alternative?: Alternative;
}

/** The result of comparing one variant with control on one metric. */
export interface ComparisonResult {
  readonly controlMean: number;
  readonly variantMean: number;
  /** variant − control. */
  readonly difference: number;
  /** Two-sided 1 − alpha interval for the difference. */
  readonly differenceCi: Interval;
  /** variant / control − 1; null when the control mean is 0. */
  readonly relativeLift: number | null;
  /**
   * Two-sided 1 − alpha interval for the relative lift (delta method on the log ratio); null
   * unless both means are positive.
   */
  readonly relativeLiftCi: Interval | null;
  readonly statistic: number;
  readonly pValue: number;
  /** Standard error of the difference used for the interval. */
  readonly standardError: number;
}
