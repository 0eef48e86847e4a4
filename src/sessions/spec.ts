import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../core/index.js';
import { DateRange } from '../query/index.js';

/** Session attributes a sessions query can break down by (columns of the sessions table). */
export const SessionAttribute = Type.Union([
  Type.Literal('channel'),
  Type.Literal('device_type'),
  Type.Literal('browser'),
  Type.Literal('os'),
  Type.Literal('country'),
  Type.Literal('referrer_domain'),
  Type.Literal('utm_source'),
  Type.Literal('utm_medium'),
  Type.Literal('utm_campaign'),
  Type.Literal('utm_term'),
  Type.Literal('utm_content'),
  Type.Literal('entry_path'),
  Type.Literal('exit_path'),
  Type.Literal('is_bounce'),
  Type.Literal('is_client_session'),
]);
export type SessionAttribute = Static<typeof SessionAttribute>;

/**
 * `{"kind":"sessions", …}`: session analytics over the sessions starting in `dateRange`, the
 * insights' date range (dates are local days, `to` inclusive; `{"last": "30d"}`; default the
 * last 30 days). Top-level `from`/`to` are a shorthand for `dateRange: {from, to}`.
 */
export const SessionsQuery = Type.Object(
  {
    kind: Type.Literal('sessions'),
    dateRange: Type.Optional(DateRange),
    from: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
    to: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
    breakdown: Type.Optional(SessionAttribute),
    /** Groups of the breakdown kept, by sessions (the rest are summed into "$other"). */
    breakdownLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Entry and exit pages listed per group. */
    topPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Upper bounds (seconds, ascending) of the duration histogram buckets; the last is open. */
    histogramBoundsSec: Type.Optional(Type.Array(Type.Number({ minimum: 0 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type SessionsQuery = Static<typeof SessionsQuery>;

/** The default histogram: 0, (0,10 s], …, (1 h, ∞). Zero-length sessions get a bucket of their own. */
export const DEFAULT_HISTOGRAM_BOUNDS_SEC: readonly number[] = [0, 10, 30, 60, 180, 600, 1800, 3600];

const checker = Compile(SessionsQuery);

/** Checks a sessions spec from outside (CLI, HTTP) or throws PW_QUERY_INVALID_SPEC. */
export function parseSessionsQuery(input: unknown): SessionsQuery {
  if (checker.Check(input)) return input;
  const reason = checker
    .Errors(input)
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
  throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason });
}
