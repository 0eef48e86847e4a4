import type { JourneySpec, TouchpointSource } from '../spec/journeys.js';
import { eventMatch } from './filters.js';
import type { JourneyLabelsPlan, JourneySource, JourneysPlan, TouchPlan } from './nodes.js';
import type { PlanContext } from './planner.js';

/** The default lookback window (README, "Attribution"). */
export const DEFAULT_LOOKBACK_DAYS = 30;

const DAY_US = 86_400_000_000;

function touchPlan(t: TouchpointSource): TouchPlan {
  if (t.kind === 'session') return { kind: 'session', attribute: t.attribute ?? 'channel' };
  return { kind: 'event', match: eventMatch(t), labelProperty: t.labelProperty ?? null };
}

/** Plans what both journey statements read (pure: no I/O, STYLE.md §5). */
export function planJourneySource(spec: JourneySpec, ctx: PlanContext): JourneySource {
  return {
    scope: { projectId: ctx.projectId, fromUs: ctx.fromUs, toUs: ctx.toUs, timeZone: ctx.timeZone },
    lookbackUs: Math.round((spec.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * DAY_US),
    touches: (spec.touchpoints ?? [{ kind: 'session' }]).map(touchPlan),
    conversion: eventMatch(spec.conversion),
    valueProperty: spec.conversion.valueProperty ?? null,
  };
}

/** The dictionary statement: labels by touch count, and the range's conversions. */
export function planJourneyLabels(source: JourneySource): JourneyLabelsPlan {
  return { kind: 'journeyLabels', source };
}

/** The journeys statement, once the kept labels are known. */
export function planJourneys(source: JourneySource, labels: readonly string[]): JourneysPlan {
  return { kind: 'journeys', source, labels };
}
