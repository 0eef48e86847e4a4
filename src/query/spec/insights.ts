import Type, { type Static } from 'typebox';
import { CountBy, DateRange, EventStep, Interval } from './common.js';
import { PropertyFilter, PropertyRef } from './filter.js';

const Breakdown = Type.Intersect([
  PropertyRef,
  Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
]);

/** An exclusion step: the event voids a chain when it falls between steps fromStep and toStep (1-based). */
export const ExclusionStep = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 512 }),
    where: Type.Optional(PropertyFilter),
    fromStep: Type.Optional(Type.Integer({ minimum: 1 })),
    toStep: Type.Optional(Type.Integer({ minimum: 2 })),
  },
  { additionalProperties: false },
);
export type ExclusionStep = Static<typeof ExclusionStep>;

/** A funnel (ARCHITECTURE.md, "Ordered funnel"); README "Insights" documents each field. */
export const FunnelSpec = Type.Object(
  {
    kind: Type.Literal('funnel'),
    steps: Type.Array(EventStep, { minItems: 2, maxItems: 200 }),
    mode: Type.Optional(
      Type.Union([Type.Literal('ordered'), Type.Literal('strict'), Type.Literal('unordered')]),
    ),
    countBy: Type.Optional(CountBy),
    windowSec: Type.Optional(Type.Integer({ minimum: 0, maximum: 366 * 86400 })),
    exclusions: Type.Optional(Type.Array(ExclusionStep, { maxItems: 50 })),
    where: Type.Optional(PropertyFilter),
    breakdown: Type.Optional(Breakdown),
    dateRange: Type.Optional(DateRange),
    trendInterval: Type.Optional(Interval),
    persons: Type.Optional(
      Type.Object(
        {
          step: Type.Integer({ minimum: 1 }),
          status: Type.Union([Type.Literal('converted'), Type.Literal('dropped')]),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type FunnelSpec = Static<typeof FunnelSpec>;

/** How a trends series aggregates its events. */
export const TrendsMath = Type.Enum([
  'total',
  'unique_persons',
  'unique_sessions',
  'dau',
  'wau',
  'mau',
  'sum',
  'avg',
  'min',
  'max',
  'median',
  'p90',
  'p99',
  'per_person_avg',
]);
export type TrendsMath = Static<typeof TrendsMath>;

/** One series of a trends insight. */
export const TrendsSeries = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 512 }),
    where: Type.Optional(PropertyFilter),
    math: Type.Optional(TrendsMath),
    property: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type TrendsSeries = Static<typeof TrendsSeries>;

/** Series over time; `formula` combines series by letter (A, B, …), e.g. "A / B". */
export const TrendsSpec = Type.Object(
  {
    kind: Type.Literal('trends'),
    series: Type.Array(TrendsSeries, { minItems: 1, maxItems: 26 }),
    interval: Type.Optional(Interval),
    dateRange: Type.Optional(DateRange),
    where: Type.Optional(PropertyFilter),
    breakdown: Type.Optional(Breakdown),
    compare: Type.Optional(Type.Boolean()),
    formula: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Z0-9+\\-*/(). ]+$' })),
  },
  { additionalProperties: false },
);
export type TrendsSpec = Static<typeof TrendsSpec>;

/** Retention (ARCHITECTURE.md, "Retention"): start and return are each any of several events. */
export const RetentionSpec = Type.Object(
  {
    kind: Type.Literal('retention'),
    start: Type.Array(EventStep, { minItems: 1, maxItems: 20 }),
    return: Type.Array(EventStep, { minItems: 1, maxItems: 20 }),
    period: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])),
    periods: Type.Optional(Type.Integer({ minimum: 1, maximum: 400 })),
    cohort: Type.Optional(Type.Union([Type.Literal('first_time'), Type.Literal('recurring')])),
    returnMode: Type.Optional(Type.Union([Type.Literal('exact'), Type.Literal('unbounded')])),
    dateRange: Type.Optional(DateRange),
    where: Type.Optional(PropertyFilter),
  },
  { additionalProperties: false },
);
export type RetentionSpec = Static<typeof RetentionSpec>;

/** Paths from a start event or towards an end event. */
export const PathsSpec = Type.Object(
  {
    kind: Type.Literal('paths'),
    start: Type.Optional(EventStep),
    end: Type.Optional(EventStep),
    countBy: Type.Optional(CountBy),
    steps: Type.Optional(Type.Integer({ minimum: 2, maximum: 50 })),
    exclude: Type.Optional(Type.Array(Type.String({ maxLength: 512 }), { maxItems: 100 })),
    errorEvents: Type.Optional(Type.Array(Type.String({ maxLength: 512 }), { maxItems: 100 })),
    topTransitions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    dateRange: Type.Optional(DateRange),
    where: Type.Optional(PropertyFilter),
  },
  { additionalProperties: false },
);
export type PathsSpec = Static<typeof PathsSpec>;

/** Any insight, discriminated by `kind`. */
// Annotated: the inferred type, with four levels of filters in every spec, is too long to emit.
export const InsightSpec: Type.TUnion<
  [typeof FunnelSpec, typeof TrendsSpec, typeof RetentionSpec, typeof PathsSpec]
> = Type.Union([FunnelSpec, TrendsSpec, RetentionSpec, PathsSpec]);
export type InsightSpec = Static<typeof InsightSpec>;

/**
 * A dimension a funnel diagnosis segments by: an event property or column (read from the unit's
 * step event), or an attribute of the visit that started the unit's chain.
 */
export const SegmentBy = Type.Union([
  PropertyRef,
  Type.Object(
    { visit: Type.Union([Type.Literal('channel'), Type.Literal('user_type')]) },
    { additionalProperties: false },
  ),
]);
export type SegmentBy = Static<typeof SegmentBy>;
