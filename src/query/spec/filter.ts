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

/** Columns of the persons table a filter or breakdown may name (README, "Store": persons). */
export const PersonColumn = Type.Enum([
  'is_identified',
  'first_seen',
  'last_seen',
  'event_count',
  'initial_referrer',
  'initial_referrer_domain',
  'initial_utm_source',
  'initial_utm_medium',
  'initial_utm_campaign',
  'initial_utm_term',
  'initial_utm_content',
  'initial_channel',
  'initial_landing_url',
  'initial_landing_path',
  'initial_device_type',
  'initial_browser',
  'initial_os',
  'initial_country',
]);
export type PersonColumn = Static<typeof PersonColumn>;

/** Columns of the sessions table a filter or breakdown may name (README, "Store": sessions). */
export const SessionColumn = Type.Enum([
  'channel',
  'referrer',
  'referrer_domain',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'device_type',
  'browser',
  'os',
  'country',
  'entry_url',
  'entry_path',
  'exit_url',
  'exit_path',
  'is_bounce',
  'duration_sec',
  'event_count',
  'pageview_count',
]);
export type SessionColumn = Static<typeof SessionColumn>;

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

const Name = Type.String({ minLength: 1, maxLength: 512 });

/**
 * Where a value comes from: an event property (JSON) or a materialized column of the event; a
 * trait or a persons column of the event's person; a sessions column of the event's session.
 */
export const PropertyRef = Type.Union([
  Type.Object({ property: Name }, { additionalProperties: false }),
  Type.Object({ column: EventColumn }, { additionalProperties: false }),
  Type.Object({ personTrait: Name }, { additionalProperties: false }),
  Type.Object({ person: PersonColumn }, { additionalProperties: false }),
  Type.Object({ session: SessionColumn }, { additionalProperties: false }),
]);
export type PropertyRef = Static<typeof PropertyRef>;

const Op = { op: FilterOp, value: Type.Optional(FilterValue) };

const Leaf = Type.Union([
  Type.Object({ property: Name, ...Op }, { additionalProperties: false }),
  Type.Object({ column: EventColumn, ...Op }, { additionalProperties: false }),
  Type.Object({ personTrait: Name, ...Op }, { additionalProperties: false }),
  Type.Object({ person: PersonColumn, ...Op }, { additionalProperties: false }),
  Type.Object({ session: SessionColumn, ...Op }, { additionalProperties: false }),
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
  | (PropertyRef & { readonly op: FilterOp; readonly value?: FilterValue })
  | { readonly and: readonly FilterTree[] }
  | { readonly or: readonly FilterTree[] }
  | { readonly not: FilterTree };
