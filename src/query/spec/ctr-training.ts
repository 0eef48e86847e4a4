import Type, { type Static } from 'typebox';
import { DateRange } from './common.js';

/**
 * Where CTR training rows come from (README, "CTR prediction"): impression events (one item, or
 * many in `properties.items`) labelled by a click on the same item by the same person in the
 * same list (`request_id` when the click has one, else `list_id`) within the click window.
 */
export const CtrTrainingSource = Type.Object(
  {
    dateRange: Type.Optional(DateRange),
    impressionEvent: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    clickEvent: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    clickWindowSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 86_400 })),
    /** Time-based split: the last `testFraction` of impressions (by time), or those from `testFrom` on. */
    split: Type.Optional(
      Type.Union([
        Type.Object(
          { testFraction: Type.Number({ minimum: 0.01, maximum: 0.9 }) },
          { additionalProperties: false },
        ),
        Type.Object({ testFrom: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type CtrTrainingSource = Static<typeof CtrTrainingSource>;

/** Conventions of issue 10: `$impression` / `$click`, 30 minutes, the last 20% for testing. */
export const CTR_SOURCE_DEFAULTS = {
  impressionEvent: '$impression',
  clickEvent: '$click',
  clickWindowSec: 1800,
  testFraction: 0.2,
} as const;

/** Fields every impression row has besides event columns, `item.<key>` and `prop.<key>`. */
export const CTR_BUILTIN_FIELDS = [
  'item_id',
  'position',
  'list_id',
  'request_id',
  'hour',
  'weekday',
] as const;
