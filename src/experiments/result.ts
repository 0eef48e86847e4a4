import Type, { type Static, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Interval = Type.Object({ lower: Type.Number(), upper: Type.Number() });

/** One test of variant against control (stats' ComparisonResult). */
export const Comparison = Type.Object({
  controlMean: Type.Number(),
  variantMean: Type.Number(),
  difference: Type.Number(),
  differenceCi: Interval,
  relativeLift: Nullable(Type.Number()),
  relativeLiftCi: Nullable(Interval),
  statistic: Type.Number(),
  pValue: Type.Number(),
  standardError: Type.Number(),
});

/** The Bayesian view of the same comparison (stats' BayesResult). */
export const BayesSummary = Type.Object({
  probabilityToBeatControl: Type.Number(),
  expectedLoss: Type.Number(),
  expectedLossControl: Type.Number(),
  differenceInterval: Interval,
  controlInterval: Interval,
  variantInterval: Interval,
});

/** A variant against control on one metric; `skipped` says why nothing could be computed. */
export const VariantComparison = Type.Object({
  variant: Type.String(),
  test: Type.String(),
  /** The test without CUPED. */
  result: Nullable(Comparison),
  /** The same test on CUPED-adjusted values, when the experiment has a covariate period. */
  cuped: Nullable(
    Type.Object({
      theta: Type.Number(),
      covariateMean: Type.Number(),
      varianceReduction: Type.Number(),
      result: Comparison,
    }),
  ),
  /** The p-value of the headline result (CUPED when present) after the multiple-comparison correction. */
  adjustedPValue: Nullable(Type.Number()),
  /** mSPRT on the headline result: always-valid p-value and confidence sequence. */
  sequential: Nullable(Type.Object({ pValue: Type.Number(), ci: Interval })),
  bayes: Nullable(BayesSummary),
  skipped: Nullable(Type.String()),
});
export type VariantComparison = Static<typeof VariantComparison>;

/** One metric: per-arm values and every comparison with control. */
export const MetricAnalysis = Type.Object({
  key: Type.String(),
  kind: Type.String(),
  windowSec: Type.Integer(),
  arms: Type.Array(
    Type.Object({
      variant: Type.String(),
      n: Type.Integer(),
      value: Nullable(Type.Number()),
      sum: Type.Number(),
    }),
  ),
  winsorCaps: Nullable(Type.Object({ lower: Nullable(Type.Number()), upper: Nullable(Type.Number()) })),
  /** Chi-square test across all variants (conversion metrics). */
  chiSquare: Nullable(Type.Object({ statistic: Type.Number(), df: Type.Integer(), pValue: Type.Number() })),
  comparisons: Type.Array(VariantComparison),
});
export type MetricAnalysis = Static<typeof MetricAnalysis>;

/** The analysis of an experiment (GET /api/experiments/:key/analysis). */
export const ExperimentAnalysis = Type.Object({
  key: Type.String(),
  control: Type.String(),
  range: Type.Object({ from: Type.String(), to: Type.String() }),
  settings: Type.Object({
    alpha: Type.Number(),
    correction: Type.String(),
    sequentialTuningN: Type.Integer(),
    cupedLookbackSec: Nullable(Type.Integer()),
  }),
  exposure: Type.Object({
    arms: Type.Array(
      Type.Object({ variant: Type.String(), units: Type.Integer(), expectedShare: Type.Number() }),
    ),
    multipleVariantUnits: Type.Integer(),
    unknownVariantUnits: Type.Integer(),
    srm: Nullable(
      Type.Object({
        statistic: Type.Number(),
        df: Type.Integer(),
        pValue: Type.Number(),
        isMismatch: Type.Boolean(),
        threshold: Type.Number(),
      }),
    ),
  }),
  metrics: Type.Array(MetricAnalysis),
  /** One line per variant on the first metric, e.g. "variant B: +4.2% conversion, …; SRM ok". */
  verdicts: Type.Array(Type.String()),
});
export type ExperimentAnalysis = Static<typeof ExperimentAnalysis>;
