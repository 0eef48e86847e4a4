import Type, { type Static, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

/** Where a comparison sits: the move from step `step − 1` to step `step` (1-based, as in the funnel result). */
const StepRef = {
  step: Type.Integer({ minimum: 2 }),
  fromEvent: Type.String(),
  toEvent: Type.String(),
};

/** One condition of a segment: a dimension and its value (null: not set). */
export const SegmentConditionOut = Type.Object({ dimension: Type.String(), value: Nullable(Type.String()) });

/** When a segment's shortfall started, and the numbers since then. */
export const Since = Type.Object({
  date: Type.String(),
  /** `appeared`: the segment has no entrants before (e.g. a new app version); `change_point`: its rate dropped. */
  method: Type.Union([Type.Literal('appeared'), Type.Literal('change_point')]),
  rate: Type.Number(),
  restRate: Nullable(Type.Number()),
  rateRatio: Nullable(Type.Number()),
  entrants: Count,
  /** Days of data since the date (the mature ones). */
  days: Count,
  peopleLost: Type.Number(),
  /** The change point's p-value (CUSUM); null for `appeared`. */
  pValue: Nullable(Type.Number()),
});
export type Since = Static<typeof Since>;

/** A segment that converts worse than everyone else at a step. */
export const SegmentFinding = Type.Object({
  ...StepRef,
  segment: Type.Array(SegmentConditionOut),
  label: Type.String(),
  entrants: Count,
  converted: Count,
  rate: Type.Number(),
  restEntrants: Count,
  restRate: Type.Number(),
  /** restRate / rate: how many times worse the segment converts. */
  rateRatio: Nullable(Type.Number()),
  /** (restRate − rate) × entrants. */
  peopleLost: Type.Number(),
  pValue: Type.Number(),
  adjustedPValue: Type.Number(),
  /** The same units under more conditions (e.g. `browser = (none), app_version = 2.1` for `app_version = 2.1`). */
  aliases: Type.Array(Type.String()),
  /** Flagged segments whose shortfall this one accounts for (parents and overlapping pairs). */
  explains: Type.Array(Type.String()),
  since: Nullable(Since),
});
export type SegmentFinding = Static<typeof SegmentFinding>;

const Rates = Type.Object({ n: Count, c: Count, rate: Nullable(Type.Number()) });

/** A step's or segment's conversion before and after the compare date. */
export const PeriodChange = Type.Object({
  ...StepRef,
  segment: Type.Array(SegmentConditionOut),
  label: Type.String(),
  before: Rates,
  after: Rates,
  /** after − before. */
  change: Nullable(Type.Number()),
  /** (before rate − after rate) × after entrants: positive when it got worse. */
  peopleLost: Type.Number(),
  pValue: Nullable(Type.Number()),
  adjustedPValue: Nullable(Type.Number()),
  isSignificant: Type.Boolean(),
});
export type PeriodChange = Static<typeof PeriodChange>;

/** A day of a step's series. */
const Day = Type.Object({ day: Type.String(), n: Count, c: Count, rate: Nullable(Type.Number()) });

/** A change in a step's daily conversion. */
export const StepChange = Type.Object({
  day: Type.String(),
  beforeRate: Type.Number(),
  afterRate: Type.Number(),
  pValue: Type.Number(),
});

/** An event or property value before the step that changes the odds of converting. */
export const Correlation = Type.Object({
  ...StepRef,
  event: Type.String(),
  property: Nullable(Type.String()),
  value: Nullable(Type.String()),
  converted: Count,
  dropped: Count,
  withRate: Type.Number(),
  withoutRate: Nullable(Type.Number()),
  oddsRatio: Type.Number(),
  ciLower: Type.Number(),
  ciUpper: Type.Number(),
  pValue: Type.Number(),
  adjustedPValue: Type.Number(),
});
export type Correlation = Static<typeof Correlation>;

/** The step that loses the most, by people or by rate. */
const Drop = Type.Object({ ...StepRef, lost: Count, rate: Nullable(Type.Number()) });

/** The suggested A/B test, sized with the power calculator. */
export const Experiment = Type.Object({
  ...StepRef,
  segment: Type.String(),
  baselineRate: Type.Number(),
  targetRate: Type.Number(),
  alpha: Type.Number(),
  power: Type.Number(),
  perArm: Count,
  total: Count,
  /** At the segment's daily entrants since the shortfall began; null when unknown. */
  days: Nullable(Count),
  text: Type.String(),
});
export type Experiment = Static<typeof Experiment>;

/** A funnel diagnosis (README, "Funnel diagnostics"). */
export const DiagnosisResult = Type.Object({
  kind: Type.Literal('diagnosis'),
  dateRange: Type.Object({ from: Type.String(), to: Type.String(), timeZone: Type.String() }),
  timeZone: Type.String(),
  settings: Type.Object({
    dimensions: Type.Array(Type.String()),
    isPairs: Type.Boolean(),
    fdr: Type.Number(),
    minSegmentSize: Count,
    topValues: Count,
    horizonSec: Type.Number(),
    matureUntil: Type.String(),
    compareAt: Nullable(Type.String()),
    lookbackSec: Type.Number(),
  }),
  funnel: Type.Array(
    Type.Object({
      index: Type.Integer(),
      event: Type.String(),
      label: Type.String(),
      count: Count,
      conversionFromPrevious: Nullable(Type.Number()),
      dropOff: Count,
      dropOffRate: Nullable(Type.Number()),
    }),
  ),
  biggestDrop: Nullable(Type.Object({ byPeople: Drop, byRate: Drop })),
  tested: Type.Object({ segments: Count, periods: Count, correlations: Count }),
  segments: Type.Array(SegmentFinding),
  periods: Nullable(
    Type.Object({ at: Type.String(), steps: Type.Array(PeriodChange), segments: Type.Array(PeriodChange) }),
  ),
  timeline: Type.Array(Type.Object({ ...StepRef, days: Type.Array(Day), changes: Type.Array(StepChange) })),
  correlations: Type.Array(Correlation),
  summary: Type.Object({
    lines: Type.Array(Type.String()),
    hypothesis: Nullable(Type.String()),
    experiment: Nullable(Experiment),
  }),
});
export type DiagnosisResult = Static<typeof DiagnosisResult>;
