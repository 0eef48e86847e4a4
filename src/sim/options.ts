import { PathwiseError } from '../core/index.js';
import { DAY_MS } from './calendar.js';
import type { TimeFields } from './message.js';

/** The simulated worlds: a shop, a B2B SaaS product, a content feed, or all three together. */
export type Scenario = 'ecommerce' | 'saas' | 'feed' | 'mix';

/** All scenarios. */
export const SCENARIOS: readonly Scenario[] = ['ecommerce', 'saas', 'feed', 'mix'];

/** What to simulate. */
export interface SimOptions {
  readonly scenario: Scenario;
  /** Number of persons. */
  readonly users: number;
  /** Length of the range in days; the range is the `days` days before `end`. */
  readonly days: number;
  readonly seed: number;
  /** End of the range (exclusive): an ISO date (UTC midnight) or instant; default today at UTC midnight. */
  readonly end?: string | undefined;
  /** How times are written (see TimeFields); default 'archive'. */
  readonly timeFields?: TimeFields | undefined;
}

/** Options after validation, with the range in ms. */
export interface ResolvedOptions {
  readonly scenario: Scenario;
  readonly users: number;
  readonly days: number;
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly timeFields: TimeFields;
}

function invalid(reason: string): PathwiseError {
  return new PathwiseError('PW_CONFIG_INVALID', { reason });
}

function parseEnd(end: string | undefined, nowMs: number): number {
  if (end === undefined) return Math.floor(nowMs / DAY_MS) * DAY_MS;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(end) ? Date.parse(`${end}T00:00:00Z`) : Date.parse(end);
  if (Number.isNaN(ms)) throw invalid(`sim end "${end}" is not an ISO date or instant`);
  return ms;
}

/** Validates options; `nowMs` is only read when no end is given. */
export function resolveOptions(options: SimOptions, nowMs = Date.now()): ResolvedOptions {
  const { scenario, users, days, seed } = options;
  if (!SCENARIOS.includes(scenario))
    throw invalid(`unknown sim scenario "${scenario}" (${SCENARIOS.join(', ')})`);
  if (!Number.isInteger(users) || users < 1)
    throw invalid(`sim users must be a positive integer, got ${users}`);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw invalid(`sim days must be 1..3650, got ${days}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw invalid(`sim seed must be a uint32, got ${seed}`);
  const endMs = parseEnd(options.end, nowMs);
  const timeFields = options.timeFields ?? 'archive';
  if (timeFields !== 'archive' && timeFields !== 'live')
    throw invalid(`unknown timeFields "${String(timeFields)}"`);
  return { scenario, users, days, seed, startMs: endMs - days * DAY_MS, endMs, timeFields };
}
