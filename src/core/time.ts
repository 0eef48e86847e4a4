import { PathwiseError } from './errors.js';

const HAS_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const FRACTION = /[T ]\d{2}:\d{2}:\d{2}[.,](\d+)/;

/**
 * Parses an ISO-8601 instant (or epoch milliseconds) into microseconds since the epoch.
 * Date.parse keeps only milliseconds, so digits 4–6 of the fraction are added back.
 * Returns null when the value is not a valid instant.
 */
export function parseInstantUs(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : null;
  // Fast path for toISOString's form (what analytics.js and most SDKs send): a zone and three
  // fraction digits, so Date.parse alone gives the same answer as the general path below.
  if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(19) === 46 /* . */) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms * 1000;
  }
  // An instant without a zone is UTC (DuckDB and most CSV writers omit it); never local time.
  const text = HAS_TIME.test(value) && !HAS_ZONE.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const fraction = FRACTION.exec(value)?.[1];
  const extraUs = fraction && fraction.length > 3 ? Number(fraction.slice(3, 6).padEnd(3, '0')) : 0;
  return ms * 1000 + extraUs;
}

/** Formats microseconds since the epoch as ISO-8601 with microsecond precision. */
export function formatInstantUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  const micros = String(us - ms * 1000).padStart(3, '0');
  return `${iso.slice(0, 23)}${micros}Z`;
}

/** The current time in microseconds since the epoch. */
export function nowUs(): number {
  return Date.now() * 1000;
}

/** Parses a user-given date or instant for a range option, or throws PW_EXPORT_BAD_RANGE. */
export function parseRangeBoundUs(value: string, option: string): number {
  const us = parseInstantUs(value);
  if (us === null) throw new PathwiseError('PW_EXPORT_BAD_RANGE', { value, option });
  return us;
}

/** Seven days in microseconds: the minimum dedup horizon. */
export const DAY_US = 86_400_000_000;
