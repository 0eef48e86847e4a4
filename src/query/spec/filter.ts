import Type, { type Static, type TSchema } from 'typebox';

/** Materialized event columns a filter, breakdown or path may name (README, "Store"). */
export const EventColumn = Type.Enum([
  'event',
  'type',
  'distinct_id',
  'user_id',
  'anonymous_id',
  'session_id',
  'url',
  'path',
  'host',
  'search',
  'title',
  'referrer',
  'referrer_domain',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'channel',
  'device_type',
  'browser',
  'browser_version',
  'os',
  'os_version',
  'country',
  'locale',
  'library_name',
  'library_version',
  'app_version',
]);
export type EventColumn = Static<typeof EventColumn>;

/** Comparison operators of a filter leaf. */
export const FilterOp = Type.Enum([
  'eq',
  'neq',
  'in',
  'contains',
  'regex',
  'gt',
  'gte',
  'lt',
  'lte',
  'is_set',
  'is_not_set',
]);
export type FilterOp = Static<typeof FilterOp>;

const Scalar = Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean()]);
/** A filter value: a scalar, or a list for `in`. */
export const FilterValue = Type.Union([Scalar, Type.Array(Scalar, { maxItems: 1000 })]);
export type FilterValue = Static<typeof FilterValue>;

/** Where a value comes from: an event property (JSON) or a materialized column. */
export const PropertyRef = Type.Union([
  Type.Object({ property: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }),
  Type.Object({ column: EventColumn }, { additionalProperties: false }),
]);
export type PropertyRef = Static<typeof PropertyRef>;

const Leaf = Type.Union([
  Type.Object(
    {
      property: Type.String({ minLength: 1, maxLength: 512 }),
      op: FilterOp,
      value: Type.Optional(FilterValue),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { column: EventColumn, op: FilterOp, value: Type.Optional(FilterValue) },
    { additionalProperties: false },
  ),
]);

function group<T extends TSchema>(inner: T) {
  return Type.Union([
    Type.Object({ and: Type.Array(inner, { maxItems: 100 }) }, { additionalProperties: false }),
    Type.Object({ or: Type.Array(inner, { maxItems: 100 }) }, { additionalProperties: false }),
    Type.Object({ not: inner }, { additionalProperties: false }),
  ]);
}

const Level1 = Type.Union([Leaf, group(Leaf)]);
const Level2 = Type.Union([Leaf, group(Level1)]);

/**
 * A property filter: leaves (property or column, op, value) combined with and/or/not.
 * Nesting is bounded at four levels: a recursive JSON Schema repeated in one body makes
 * Fastify's validator reject duplicate `$id`s, and deeper trees are not asked for in practice.
 */
export const PropertyFilter = Type.Union([Leaf, group(Level2)]);
export type PropertyFilter = Static<typeof PropertyFilter>;

/** The recursive shape every PropertyFilter is, whatever its depth: what the planner reads. */
export type FilterTree =
  | { readonly property: string; readonly op: FilterOp; readonly value?: FilterValue }
  | { readonly column: EventColumn; readonly op: FilterOp; readonly value?: FilterValue }
  | { readonly and: readonly FilterTree[] }
  | { readonly or: readonly FilterTree[] }
  | { readonly not: FilterTree };
