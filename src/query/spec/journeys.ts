import Type, { type Static } from 'typebox';
import { DateRange } from './common.js';
import { PropertyFilter } from './filter.js';

/** Session attributes a touchpoint can be labelled by (columns of the sessions table). */
export const SessionTouchAttribute = Type.Enum([
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'source_medium',
  'referrer_domain',
]);
export type SessionTouchAttribute = Static<typeof SessionTouchAttribute>;

/**
 * Where touchpoints come from: every session (labelled by one of its attributes; a session
 * without that attribute is labelled "(none)"), or chosen touch events (labelled by a property,
 * else by the event name).
 */
export const TouchpointSource = Type.Union([
  Type.Object(
    { kind: Type.Literal('session'), attribute: Type.Optional(SessionTouchAttribute) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('event'),
      event: Type.String({ minLength: 1, maxLength: 512 }),
      where: Type.Optional(PropertyFilter),
      labelProperty: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
]);
export type TouchpointSource = Static<typeof TouchpointSource>;

/** The conversion event, its filters, and the numeric property that carries its value. */
export const ConversionSpec = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 512 }),
    where: Type.Optional(PropertyFilter),
    valueProperty: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type ConversionSpec = Static<typeof ConversionSpec>;

/**
 * Journeys (README, "Attribution"): a person's touchpoints before each conversion in the range,
 * within the lookback window and after the previous conversion; and, for the touches after a
 * person's last conversion, one non-converting journey ending at the range end.
 */
export const JourneySpec = Type.Object(
  {
    dateRange: Type.Optional(DateRange),
    conversion: ConversionSpec,
    touchpoints: Type.Optional(Type.Array(TouchpointSource, { minItems: 1, maxItems: 20 })),
    lookbackDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 366 })),
    collapseRepeats: Type.Optional(Type.Boolean()),
    /** Labels kept, by touch count; the rest become "(other)". */
    maxLabels: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
    /** The most recent touches a journey keeps. */
    maxTouches: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type JourneySpec = Static<typeof JourneySpec>;
