import { PathwiseError } from '../../core/index.js';
import type { EventListQuery } from '../spec/events.js';
import type {
  FunnelSpec,
  PathsSpec,
  RetentionSpec,
  SegmentBy,
  TrendsSeries,
  TrendsSpec,
} from '../spec/insights.js';
import { anyOf, eventMatch, fieldOf, filterExpr, stepMatch } from './filters.js';
import type {
  EventListPlan,
  FunnelPersonsPlan,
  FunnelPlan,
  FunnelUnitsPlan,
  PathsPlan,
  RetentionPlan,
  Scope,
  SegmentField,
  Suppression,
  TrendsSeriesPlan,
} from './nodes.js';

/** Everything the planner needs besides the spec: it does no I/O (STYLE.md §5). */
export interface PlanContext {
  readonly projectId: string;
  readonly timeZone: string;
  readonly fromUs: number;
  readonly toUs: number;
  /** Sensitive events left out of the report (the project's privacy settings). */
  readonly suppressed?: Suppression | undefined;
}

const DEFAULT_WINDOW_SEC = 14 * 86_400;

function invalid(reason: string): never {
  throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason });
}

function scopeOf(ctx: PlanContext): Scope {
  return {
    projectId: ctx.projectId,
    fromUs: ctx.fromUs,
    toUs: ctx.toUs,
    timeZone: ctx.timeZone,
    ...(ctx.suppressed ? { suppressed: ctx.suppressed } : {}),
  };
}

/** Plans a funnel: steps and exclusions become row predicates; exclusion bounds become 0-based. */
export function planFunnel(spec: FunnelSpec, ctx: PlanContext): FunnelPlan {
  const last = spec.steps.length;
  const exclusions = (spec.exclusions ?? []).map((x) => {
    const fromStep = (x.fromStep ?? 1) - 1;
    const toStep = (x.toStep ?? last) - 1;
    if (fromStep >= toStep || toStep >= last)
      invalid(`exclusion "${x.event}" needs 1 <= fromStep < toStep <= ${last}`);
    return { match: stepMatch(x), fromStep, toStep };
  });
  const mode = spec.mode ?? 'ordered';
  // Unordered steps have no "between steps j and k": an exclusion there spans the whole funnel.
  if (mode === 'unordered' && exclusions.some((x) => x.fromStep !== 0 || x.toStep !== last - 1))
    invalid('exclusions of an unordered funnel span all steps: leave out fromStep and toStep');
  return {
    kind: 'funnel',
    scope: scopeOf(ctx),
    unit: spec.countBy ?? 'person',
    mode,
    windowUs: (spec.windowSec ?? DEFAULT_WINDOW_SEC) * 1_000_000,
    steps: spec.steps.map(stepMatch),
    exclusions,
    where: spec.where ? filterExpr(spec.where) : null,
    breakdown: spec.breakdown ? fieldOf(spec.breakdown) : null,
    trendInterval: spec.trendInterval ?? 'day',
  };
}

function segmentField(by: SegmentBy): SegmentField {
  if ('visit' in by) return by.visit === 'channel' ? { kind: 'sessionChannel' } : { kind: 'userType' };
  return fieldOf(by);
}

/**
 * Plans the unit-step rows a funnel diagnosis reads. Diagnostics need each step's time along the
 * best chain, which unordered funnels do not define; the breakdown and persons page do not apply.
 */
export function planFunnelUnits(
  spec: FunnelSpec,
  ctx: PlanContext,
  dimensions: readonly SegmentBy[],
  horizonSec: number,
): FunnelUnitsPlan {
  const funnel = planFunnel({ ...spec, breakdown: undefined, persons: undefined }, ctx);
  if (funnel.mode === 'unordered') invalid('diagnostics need step times: use an ordered or strict funnel');
  if (!Number.isFinite(horizonSec) || horizonSec <= 0)
    invalid('the horizon must be a positive number of seconds');
  return {
    funnel,
    dimensions: dimensions.map(segmentField),
    horizonUs: Math.round(horizonSec * 1_000_000),
    table: null,
  };
}

/**
 * The segment kinds of a diagnosis, as dimension indexes: each dimension alone, then (when
 * asked) each pair i < j in order. The emitter numbers rows by this list and the runner reads
 * them back with it.
 */
export function segmentSets(dimensions: number, isPairs: boolean): number[][] {
  const sets: number[][] = [];
  for (let i = 0; i < dimensions; i++) sets.push([i]);
  if (isPairs)
    for (let i = 0; i < dimensions; i++) for (let j = i + 1; j < dimensions; j++) sets.push([i, j]);
  return sets;
}

/** Plans the persons page of a funnel, when the spec asks for one. */
export function planFunnelPersons(spec: FunnelSpec, funnel: FunnelPlan): FunnelPersonsPlan | null {
  const p = spec.persons;
  if (!p) return null;
  if (p.step > spec.steps.length) invalid(`persons.step must be at most ${spec.steps.length}`);
  if (p.status === 'dropped' && p.step < 2) invalid('nobody drops at step 1: use step >= 2');
  return {
    kind: 'funnelPersons',
    funnel,
    step: p.step - 1,
    status: p.status,
    limit: p.limit ?? 100,
    offset: p.offset ?? 0,
  };
}

const NEEDS_PROPERTY = new Set(['sum', 'avg', 'min', 'max', 'median', 'p90', 'p99']);

function planSeries(spec: TrendsSpec, series: TrendsSeries, ctx: PlanContext): TrendsSeriesPlan {
  const math = series.math ?? 'total';
  if (NEEDS_PROPERTY.has(math) && !series.property) invalid(`math "${math}" needs "property"`);
  const where = spec.where ? filterExpr(spec.where) : null;
  const match = eventMatch(series);
  return {
    kind: 'trendsSeries',
    scope: scopeOf(ctx),
    interval: spec.interval ?? 'day',
    match: where ? { kind: 'and', items: [match, where] } : match,
    math,
    property: series.property ?? null,
    breakdown: spec.breakdown ? fieldOf(spec.breakdown) : null,
    breakdownLimit: spec.breakdown?.limit ?? 10,
  };
}

/** Plans each series of a trends insight over one range. */
export function planTrends(spec: TrendsSpec, ctx: PlanContext): TrendsSeriesPlan[] {
  return spec.series.map((s) => planSeries(spec, s, ctx));
}

/** Plans a retention table; global filters apply to start and return events alike. */
export function planRetention(spec: RetentionSpec, ctx: PlanContext): RetentionPlan {
  const where = spec.where ? filterExpr(spec.where) : null;
  const withWhere = (e: ReturnType<typeof anyOf>) =>
    where ? { kind: 'and' as const, items: [e, where] } : e;
  return {
    kind: 'retention',
    scope: scopeOf(ctx),
    start: withWhere(anyOf(spec.start)),
    ret: withWhere(anyOf(spec.return)),
    period: spec.period ?? 'day',
    periods: spec.periods ?? 8,
    cohort: spec.cohort ?? 'first_time',
  };
}

/** Plans path sequences; excluded events are removed before repeats are collapsed. */
export function planPaths(spec: PathsSpec, ctx: PlanContext): PathsPlan {
  if (spec.start && spec.end) invalid('paths take a start event or an end event, not both');
  const where = spec.where ? filterExpr(spec.where) : null;
  const exclude = spec.exclude?.length
    ? ({ kind: 'not', item: { kind: 'eventIs', names: spec.exclude } } as const)
    : null;
  const parts = [where, exclude].filter((p) => p !== null);
  return {
    kind: 'paths',
    scope: scopeOf(ctx),
    unit: spec.countBy ?? 'session',
    match:
      parts.length === 0 ? null : parts.length === 1 ? (parts[0] ?? null) : { kind: 'and', items: parts },
    start: spec.start ? eventMatch(spec.start) : null,
    end: spec.end ? eventMatch(spec.end) : null,
    steps: spec.steps ?? 5,
  };
}

/** Plans the live tail: an event name and filters become one row predicate. */
export function planEventList(query: EventListQuery, projectId: string): EventListPlan {
  const byName = query.event ? eventMatch({ event: query.event, where: query.where }) : null;
  return {
    kind: 'eventList',
    projectId,
    match: byName ?? (query.where ? filterExpr(query.where) : null),
    person: query.person ?? null,
    limit: query.limit ?? 100,
  };
}
