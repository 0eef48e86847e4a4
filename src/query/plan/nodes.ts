import type { CountBy, Interval } from '../spec/common.js';
import type { EventColumn, FilterOp, FilterValue, PersonColumn, SessionColumn } from '../spec/filter.js';
import type { TrendsMath } from '../spec/insights.js';

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

/** What every plan reads: one project, a half-open UTC range and the zone for calendar buckets. */
export interface Scope {
  readonly projectId: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly timeZone: string;
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

/** Every plan node a dialect must emit. */
export type PlanNode =
  | FunnelPlan
  | FunnelPersonsPlan
  | TrendsSeriesPlan
  | RetentionPlan
  | PathsPlan
  | EventListPlan
  | ExperimentExposuresPlan
  | ExperimentMetricsPlan;
