import { type ActivityProfile, type Calendar, HOUR_MS } from './calendar.js';
import type { Touch } from './channels.js';
import { hexId } from './format.js';
import type { DropRule, HouseholdWriter, Session } from './message.js';
import type { Rng } from './rng.js';

/** What every scenario needs to know about the run. */
export interface ScenarioContext {
  readonly calendar: Calendar;
  /** When app version 2.1 is released. */
  readonly releaseMs: number;
  /** When the experiment starts exposing. */
  readonly experimentStartMs: number;
  /** The planted tracking bug. */
  readonly drop: DropRule;
}

/** A household's generation input: its own RNG stream, the writer and its persons' numbers. */
export interface HouseholdInput {
  readonly rng: Rng;
  readonly writer: HouseholdWriter;
  /** Global person numbers (0-based) of the persons to create, one or two. */
  readonly personNumbers: readonly number[];
}

/** The longest a planned session lasts; sessions start at least this plus 45 minutes apart. */
export const SESSION_SPAN_MS = 75 * 60_000;

/**
 * Session start times of one person: the first drawn over the whole range, each next one a
 * gap later (exponential in days, thinned by weekday) and always more than 30 minutes after
 * the previous session's end, so sessionization with the default timeout splits them.
 */
export function planSessionStarts(
  rng: Rng,
  calendar: Calendar,
  profile: ActivityProfile,
  utcOffsetHours: number,
  count: number,
  meanGapDays: number,
  firstMs = calendar.sampleStart(rng, profile, utcOffsetHours),
): number[] {
  const starts = [firstMs];
  let last = firstMs;
  while (starts.length < count) {
    const next = calendar.sampleNext(rng, profile, last + SESSION_SPAN_MS, meanGapDays, utcOffsetHours);
    if (next === null) break;
    starts.push(next);
    last = next;
  }
  return starts;
}

/** A userId as an app database would issue it; unique per person number. */
export function newUserId(rng: Rng, personNumber: number): string {
  return `usr_${hexId(rng, 6)}${personNumber.toString(36)}`;
}

/** Time on a page before the next event, ms (at least 2 s, at most 10 min). */
export function dwellMs(rng: Rng, meanMs: number): number {
  return Math.min(600_000, Math.round(2000 + rng.exponential(meanMs)));
}

/** The landing page view of a web visit, carrying its touch's referrer, UTMs and campaign. */
export function landingPage(
  w: HouseholdWriter,
  s: Session,
  t: number,
  touch: Touch,
  path: string,
  title: string,
) {
  w.page(s, t, { path, title, query: touch.query, referrer: touch.referrer }, touch.campaignJson);
}

/** A page view inside a visit: its referrer is the previous page. */
export function innerPage(
  w: HouseholdWriter,
  s: Session,
  t: number,
  path: string,
  title: string,
  query = '',
  extra?: Record<string, unknown>,
) {
  w.page(s, t, { path, title, query, referrer: s.url }, '', extra);
}

/** Extra delivery delay for an app visit: 2% of app visits are sent after the device was offline. */
export function offlineDelayMs(rng: Rng, isApp: boolean): number {
  return isApp && rng.chance(0.02) ? Math.round(rng.range(0.2, 6) * HOUR_MS) : 0;
}
