import type { CountBy, Interval } from '../spec/common.js';
import type { EventColumn, FilterOp, FilterValue, PersonColumn, SessionColumn } from '../spec/filter.js';
import type { TrendsMath } from '../spec/insights.js';
import type { SessionTouchAttribute } from '../spec/journeys.js';
import type { ClickPlanNode } from './click-nodes.js';

/** A value source: an event's JSON property or column, its person's trait or column, its session's column. */
export type Field =
  | { readonly kind: 'prop'; readonly name: string }
  | { readonly kind: 'column'; readonly name: EventColumn }
  | { readonly kind: 'personTrait'; readonly name: string }
  | { readonly kind: 'person'; readonly name: PersonColumn }
  | { readonly kind: 'session'; readonly name: SessionColumn };

/** A boolean expression over one event row. */
export type Expr =
  | { readonly kind: 'and'; readonly items: readonly Expr[] }
  | { readonly kind: 'or'; readonly items: readonly Expr[] }
  | { readonly kind: 'not'; readonly item: Expr }
  | { readonly kind: 'eventIs'; readonly names: readonly string[] }
  | {
      readonly kind: 'predicate';
      readonly field: Field;
      readonly op: FilterOp;
      readonly value: FilterValue | null;
    };

/** Events a project's privacy settings leave out of every report (README, "Privacy"). */
export interface Suppression {
  /** Full-match RE2 pattern over event names, or null. */
  readonly eventPattern: string | null;
  /** Values of `properties.category`. */
  readonly categories: readonly string[];
}

/** What every plan reads: one project, a half-open UTC range and the zone for calendar buckets. */
export interface Scope {
  readonly projectId: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly timeZone: string;
  readonly suppressed?: Suppression | undefined;
}

/** An event by name, with optional filters on it. */
export interface EventMatch {
  readonly event: string;
  readonly where: Expr | null;
}

/** An exclusion: `match` voids a chain between steps fromStep and toStep (0-based). */
export interface ExclusionPlan {
  readonly match: EventMatch;
  readonly fromStep: number;
  readonly toStep: number;
}

/** A funnel's per-unit chains and their aggregates (steps, times, histogram, trend). */
export interface FunnelPlan {
  readonly kind: 'funnel';
  readonly scope: Scope;
  readonly unit: CountBy;
  readonly mode: 'ordered' | 'strict' | 'unordered';
  readonly windowUs: number;
  readonly steps: readonly EventMatch[];
  readonly exclusions: readonly ExclusionPlan[];
  readonly where: Expr | null;
  readonly breakdown: Field | null;
  readonly trendInterval: Interval;
}

/** One page of the units that converted to, or dropped at, a funnel step. */
export interface FunnelPersonsPlan {
  readonly kind: 'funnelPersons';
  readonly funnel: FunnelPlan;
  /** 0-based step. */
  readonly step: number;
  readonly status: 'converted' | 'dropped';
  readonly limit: number;
  readonly offset: number;
}

/** One trends series over calendar buckets, optionally broken down. */
export interface TrendsSeriesPlan {
  readonly kind: 'trendsSeries';
  readonly scope: Scope;
  readonly interval: Interval;
  readonly match: Expr;
  readonly math: TrendsMath;
  readonly property: string | null;
  readonly breakdown: Field | null;
  readonly breakdownLimit: number;
}

/** A retention cohort table. */
export interface RetentionPlan {
  readonly kind: 'retention';
  readonly scope: Scope;
  readonly start: Expr;
  readonly ret: Expr;
  readonly period: 'day' | 'week' | 'month';
  readonly periods: number;
  readonly cohort: 'first_time' | 'recurring';
}

/** Per-unit event sequences for paths, repeated events collapsed, cut to a number of steps. */
export interface PathsPlan {
  readonly kind: 'paths';
  readonly scope: Scope;
  readonly unit: CountBy;
  readonly match: Expr | null;
  readonly start: Expr | null;
  readonly end: Expr | null;
  readonly steps: number;
}

/** The newest events of a project, filtered (the live tail); not bound to a date range. */
export interface EventListPlan {
  readonly kind: 'eventList';
  readonly projectId: string;
  readonly match: Expr | null;
  readonly person: string | null;
  readonly limit: number;
}

/**
 * An experiment's exposed units: first exposure per unit (person key) in the scope, with the
 * variant read from a property of the exposure event and the number of distinct variants seen.
 */
export interface ExperimentExposurePlan {
  readonly scope: Scope;
  readonly event: string;
  readonly where: Expr | null;
  readonly variantProperty: string;
}

/** Exposed units per variant value, and whether they saw more than one variant. */
export interface ExperimentExposuresPlan {
  readonly kind: 'experimentExposures';
  readonly exposure: ExperimentExposurePlan;
}

/** A per-unit value summed over matching events: the property's number, or 1 per event. */
export interface UnitValue {
  readonly match: Expr;
  readonly property: string | null;
}

/**
 * One metric's per-unit values: y is the outcome in [first exposure, first exposure + window];
 * x is the CUPED covariate (the same value in [first − lookback, first)) or, for ratio metrics,
 * the denominator in the outcome window.
 */
export interface ExperimentMetricColumns {
  readonly metric: 'conversion' | 'mean' | 'ratio';
  readonly outcome: UnitValue;
  readonly denominator: UnitValue | null;
  readonly windowUs: number;
  readonly lookbackUs: number | null;
  readonly winsorize: { readonly upper: number; readonly lower: number | null } | null;
}

/**
 * Per-variant moments of several metrics over units exposed to exactly one listed variant, in
 * one pass over the events (one scan, one join with the exposed units).
 */
export interface ExperimentMetricsPlan {
  readonly kind: 'experimentMetrics';
  readonly exposure: ExperimentExposurePlan;
  readonly variants: readonly string[];
  readonly metrics: readonly ExperimentMetricColumns[];
}

/**
 * A dimension a funnel diagnosis segments units by. Event fields are read from the unit's step-k
 * event (so a value that changes, such as the app version, is the one at that step); the session
 * channel and new vs returning describe the visit in which the unit's chain started.
 */
export type SegmentField = Field | { readonly kind: 'sessionChannel' } | { readonly kind: 'userType' };

/** What the diagnosis nodes share: the funnel, the dimensions and the conversion horizon. */
export interface FunnelUnitsPlan {
  readonly funnel: FunnelPlan;
  readonly dimensions: readonly SegmentField[];
  /**
   * A step-k entrant counts as converted "within the horizon" when it reaches step k+1 at most
   * this long after step k; it is mature when step k is at least this long before the range end.
   */
  readonly horizonUs: number;
  /** A temporary table already holding the unit-steps (see FunnelUnitsTablePlan), or null. */
  readonly table: string | null;
}

/** Materializes a diagnosis' unit-steps in a temporary table, so later statements read them once computed. */
export interface FunnelUnitsTablePlan {
  readonly kind: 'funnelUnitsTable';
  readonly units: FunnelUnitsPlan;
  readonly table: string;
}

/** One segment condition: dimension index and value (null: the dimension is not set). */
export interface SegmentCondition {
  readonly dimension: number;
  readonly value: string | null;
}

/**
 * Counts of units with each event (and listed property value) before step k, by outcome: a
 * feature is an event name outside the funnel's steps, or a listed property's value on any event.
 */
export interface FeatureCounting {
  readonly properties: readonly string[];
  /** Events this long before the chain's first step count too. */
  readonly lookbackUs: number;
  readonly minUnits: number;
  /** At most this many features per step, the most frequent first. */
  readonly maxFeatures: number;
}

/**
 * Entrants and conversions per step for every value of each dimension and of each pair and,
 * when asked, feature counts: one statement, so the funnel's chains are computed once.
 */
export interface FunnelSegmentsPlan {
  readonly kind: 'funnelSegments';
  readonly units: FunnelUnitsPlan;
  readonly isPairs: boolean;
  /** Segments with fewer mature entrants are left out. */
  readonly minUnits: number;
  /** Values past the most frequent N of a dimension are grouped as `$other`. */
  readonly topValues: number;
  /** Counts before and after this instant (by the step-k time) too, when set. */
  readonly splitUs: number | null;
  readonly features: FeatureCounting | null;
}

/** Daily mature entrants and conversions per step, overall and for chosen segments at one step. */
export interface FunnelSeriesPlan {
  readonly kind: 'funnelSeries';
  readonly units: FunnelUnitsPlan;
  readonly segments: readonly {
    readonly step: number;
    readonly conditions: readonly SegmentCondition[];
  }[];
}

/** Where a touchpoint comes from: a session attribute, or matching events with a label property. */
export type TouchPlan =
  | { readonly kind: 'session'; readonly attribute: SessionTouchAttribute }
  | { readonly kind: 'event'; readonly match: Expr; readonly labelProperty: string | null };

/** What both journey statements read: touches and conversions of one project and range. */
export interface JourneySource {
  readonly scope: Scope;
  /** Touches older than this before a conversion (or the range end) are not in its journey. */
  readonly lookbackUs: number;
  readonly touches: readonly TouchPlan[];
  readonly conversion: Expr;
  readonly valueProperty: string | null;
}

/** Touch labels by touch count, and the conversions in the range (the dictionary query). */
export interface JourneyLabelsPlan {
  readonly kind: 'journeyLabels';
  readonly source: JourneySource;
}

/** One row per journey: touch codes and seconds before its end, in time order. */
export interface JourneysPlan {
  readonly kind: 'journeys';
  readonly source: JourneySource;
  /** Labels kept, coded by position; any other label gets code `labels.length` ("(other)"). */
  readonly labels: readonly string[];
}

/** Every plan node a dialect must emit. */
export type PlanNode =
  | FunnelPlan
  | FunnelPersonsPlan
  | TrendsSeriesPlan
  | RetentionPlan
  | PathsPlan
  | EventListPlan
  | ExperimentExposuresPlan
  | ExperimentMetricsPlan
  | FunnelUnitsTablePlan
  | FunnelSegmentsPlan
  | FunnelSeriesPlan
  | JourneyLabelsPlan
  | JourneysPlan
  | ClickPlanNode;
