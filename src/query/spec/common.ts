import Type, { type Static } from 'typebox';
import { PropertyFilter } from './filter.js';

/**
 * A date range: `from`/`to` as dates (YYYY-MM-DD, in the project's time zone, `to` inclusive)
 * or instants (ISO-8601 with a zone), or `last` relative to now ("30d", "24h", "12w", "6m").
 */
export const DateRange = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 64 })),
    to: Type.Optional(Type.String({ maxLength: 64 })),
    last: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}[hdwm]$' })),
  },
  { additionalProperties: false },
);
export type DateRange = Static<typeof DateRange>;

/** An event (by name) with optional filters on that event. */
export const EventStep = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 512 }),
    where: Type.Optional(PropertyFilter),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type EventStep = Static<typeof EventStep>;

/** Calendar buckets in the project's time zone. */
export const Interval = Type.Union([
  Type.Literal('hour'),
  Type.Literal('day'),
  Type.Literal('week'),
  Type.Literal('month'),
]);
export type Interval = Static<typeof Interval>;

/** Who is counted: persons (the identity contract's person key) or sessions. */
export const CountBy = Type.Union([Type.Literal('person'), Type.Literal('session')]);
export type CountBy = Static<typeof CountBy>;
