import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { PathwiseError } from '../../core/index.js';
import { DateRange, Interval } from './common.js';
import { PropertyFilter, PropertyRef } from './filter.js';

/**
 * How impressions and clicks are tracked (README, "Click-through analytics"). Item keys are
 * fixed: `item_id`, `position` (1-based), `list_id`, `request_id`, `item_category`, either on
 * the event's properties or per element of `properties.items`.
 */
export const ClickConventions = Type.Object(
  {
    impressionEvent: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    clickEvent: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    /** A click joins the latest impression of the same person, list and item at most this long before it. */
    clickWindowSec: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 86_400 })),
    /** `auto`: by request_id when the click has one, else by list_id. */
    joinBy: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('request_id'), Type.Literal('list_id')]),
    ),
  },
  { additionalProperties: false },
);
export type ClickConventions = Static<typeof ClickConventions>;

/** The defaults of ClickConventions. */
export const CLICK_DEFAULTS = {
  impressionEvent: '$impression',
  clickEvent: '$click',
  clickWindowSec: 1800,
  joinBy: 'auto',
} as const satisfies Required<ClickConventions>;

/**
 * One dimension of a CTR table: the item, its position, its list, its category, calendar time,
 * or any property reference of insights (README, "Insights"): `property` reads the item's own
 * key first (an element of `items`), then the impression event's; `column`, `personTrait`,
 * `person` and `session` read the impression event's row, person and session.
 */
export const CtrDimension = Type.Union([
  Type.Literal('item'),
  Type.Literal('position'),
  Type.Literal('list'),
  Type.Literal('item_category'),
  PropertyRef,
  Type.Object({ interval: Interval }, { additionalProperties: false }),
]);
export type CtrDimension = Static<typeof CtrDimension>;

/** `{"kind": "ctr", …}`: click-through rates of impressions by up to three dimensions. */
export const CtrSpec = Type.Object(
  {
    kind: Type.Literal('ctr'),
    by: Type.Optional(Type.Array(CtrDimension, { maxItems: 3 })),
    dateRange: Type.Optional(DateRange),
    /** Filters on the impression events. */
    where: Type.Optional(PropertyFilter),
    conventions: Type.Optional(ClickConventions),
    minImpressions: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** Adds the position-debiased CTR per item: PBM attractiveness fitted on the same impressions. */
    debias: Type.Optional(Type.Boolean()),
    /** Positions above this are left out of the click model (default 20). */
    maxPosition: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type CtrSpec = Static<typeof CtrSpec>;

/** The impressions a click model is fitted on, and how they are split for evaluation. */
export const ClickDataSpec = Type.Object(
  {
    dateRange: Type.Optional(DateRange),
    where: Type.Optional(PropertyFilter),
    conventions: Type.Optional(ClickConventions),
    maxPosition: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    /** Share of lists held out for evaluation, chosen by a hash of the list (default 0.2). */
    testFraction: Type.Optional(Type.Number({ minimum: 0, maximum: 0.9 })),
  },
  { additionalProperties: false },
);
export type ClickDataSpec = Static<typeof ClickDataSpec>;

const ctrChecker = Compile(CtrSpec);

/** Checks a CTR spec from outside (CLI, HTTP) or throws PW_QUERY_INVALID_SPEC naming the first errors. */
export function parseCtrSpec(input: unknown): CtrSpec {
  if (ctrChecker.Check(input)) return input;
  const reason = [...ctrChecker.Errors(input)]
    .filter((e) => e.keyword !== 'boolean')
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
  throw new PathwiseError('PW_QUERY_INVALID_SPEC', { reason });
}
