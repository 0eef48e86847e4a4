import type { CountBy, Interval } from '../spec/common.js';
import type { EventColumn, FilterOp, FilterValue } from '../spec/filter.js';
import type { TrendsMath } from '../spec/insights.js';

/** A value source: a JSON event property or a materialized column. */
export type Field =
  | { readonly kind: 'prop'; readonly name: string }
  | { readonly kind: 'column'; readonly name: EventColumn };

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

/** Every plan node a dialect must emit. */
export type PlanNode =
  | FunnelPlan
  | FunnelPersonsPlan
  | TrendsSeriesPlan
  | RetentionPlan
  | PathsPlan
  | EventListPlan;
