import { PathwiseError, parseInstantUs } from '../../core/index.js';
import type { DateRange } from '../spec/common.js';
import { isKnownZone, localDate, localMidnightMs } from './zone.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A resolved half-open range [fromUs, toUs) in UTC. */
export interface ResolvedRange {
  readonly fromUs: number;
  readonly toUs: number;
}

function dayStartMs(date: string, timeZone: string, plusDays: number): number | null {
  const m = DATE_ONLY.exec(date);
  if (!m) return null;
  return localMidnightMs(Number(m[1]), Number(m[2]), Number(m[3]) + plusDays, timeZone);
}

function boundUs(value: string, timeZone: string, isEnd: boolean, option: string): number {
  const dayMs = dayStartMs(value, timeZone, isEnd ? 1 : 0);
  if (dayMs !== null) return dayMs * 1000;
  const us = parseInstantUs(value);
  if (us === null) throw new PathwiseError('PW_QUERY_BAD_RANGE', { value, option });
  return us;
}

/** One instant: a date is the start of that local day; an instant with a zone is taken as given. */
export function resolveInstant(value: string, timeZone: string, option: string): number {
  return boundUs(value, timeZone, false, option);
}

/** The first instant of "last N units": whole local days back from today (h: hours; m: 30 days). */
function lastFromUs(last: string, nowUs: number, timeZone: string): number {
  const n = Number(last.slice(0, -1));
  const unit = last.slice(-1);
  if (unit === 'h') return nowUs - n * 3_600_000_000;
  const days = unit === 'd' ? n : unit === 'w' ? 7 * n : 30 * n;
  const [y, mo, d] = localDate(nowUs / 1000, timeZone);
  return localMidnightMs(y, mo, d - (days - 1), timeZone) * 1000;
}

/**
 * Resolves a spec's date range in the project's zone: dates are local calendar days (`to`
 * inclusive), instants are taken as given, `last` counts back from now; default: last 30 days.
 */
export function resolveRange(range: DateRange | undefined, timeZone: string, nowUs: number): ResolvedRange {
  if (!isKnownZone(timeZone))
    throw new PathwiseError('PW_QUERY_BAD_RANGE', { value: timeZone, option: 'timeZone' });
  const r = range ?? {};
  if (r.last !== undefined && (r.from !== undefined || r.to !== undefined)) {
    throw new PathwiseError('PW_QUERY_BAD_RANGE', { value: r.last, option: 'last (with from/to)' });
  }
  const fromUs =
    r.from !== undefined
      ? boundUs(r.from, timeZone, false, 'from')
      : lastFromUs(r.last ?? '30d', nowUs, timeZone);
  const toUs = r.to !== undefined ? boundUs(r.to, timeZone, true, 'to') : nowUs;
  if (fromUs >= toUs)
    throw new PathwiseError('PW_QUERY_BAD_RANGE', {
      value: `${r.from ?? ''}..${r.to ?? ''}`,
      option: 'from < to',
    });
  return { fromUs, toUs };
}

/** The range of the same length that ends where this one starts ("compare to previous period"). */
export function previousRange(range: ResolvedRange): ResolvedRange {
  const len = range.toUs - range.fromUs;
  return { fromUs: range.fromUs - len, toUs: range.fromUs };
}
