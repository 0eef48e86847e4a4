import Type, { type Static } from 'typebox';

/** The six Segment message types. */
export const MessageType = Type.Union([
  Type.Literal('track'),
  Type.Literal('page'),
  Type.Literal('screen'),
  Type.Literal('identify'),
  Type.Literal('group'),
  Type.Literal('alias'),
]);
export type MessageType = Static<typeof MessageType>;

const Id = Type.Union([Type.String({ maxLength: 1024 }), Type.Number()]);
const JsonObject = Type.Record(Type.String(), Type.Unknown());
const Instant = Type.Union([Type.String({ maxLength: 64 }), Type.Number()]);

/**
 * A Segment-spec message as clients send it (https://segment.com/docs/connections/spec/common/).
 * Unknown top-level fields are allowed and ignored, as Segment does; the rules that need a
 * reason per event (identity, event name, size, time bounds) live in ingest.
 */
export const SegmentMessage = Type.Object(
  {
    type: Type.Optional(MessageType),
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    userId: Type.Optional(Type.Union([Id, Type.Null()])),
    anonymousId: Type.Optional(Type.Union([Id, Type.Null()])),
    event: Type.Optional(Type.String()),
    name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    category: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    groupId: Type.Optional(Id),
    previousId: Type.Optional(Id),
    properties: Type.Optional(Type.Union([JsonObject, Type.Null()])),
    traits: Type.Optional(Type.Union([JsonObject, Type.Null()])),
    context: Type.Optional(Type.Union([JsonObject, Type.Null()])),
    integrations: Type.Optional(Type.Union([JsonObject, Type.Null()])),
    timestamp: Type.Optional(Type.Union([Instant, Type.Null()])),
    originalTimestamp: Type.Optional(Type.Union([Instant, Type.Null()])),
    sentAt: Type.Optional(Type.Union([Instant, Type.Null()])),
    receivedAt: Type.Optional(Type.Union([Instant, Type.Null()])),
  },
  { additionalProperties: true },
);
export type SegmentMessage = Static<typeof SegmentMessage>;

/** The body of `POST /v1/batch`. */
export const SegmentBatch = Type.Object(
  {
    batch: Type.Array(Type.Unknown()),
    sentAt: Type.Optional(Instant),
    writeKey: Type.Optional(Type.String()),
    context: Type.Optional(JsonObject),
    integrations: Type.Optional(JsonObject),
  },
  { additionalProperties: true },
);
export type SegmentBatch = Static<typeof SegmentBatch>;

/**
 * One normalized event: a row of the `events` table (ARCHITECTURE.md, "Event model").
 * Times are microseconds since the Unix epoch, UTC. JSON columns hold serialized text.
 */
export interface EventRow {
  projectId: string;
  messageId: string;
  type: MessageType;
  event: string;
  timestampUs: number;
  receivedAtUs: number;
  sentAtUs: number | null;
  insertedAtUs: number;
  distinctId: string;
  anonymousId: string | null;
  userId: string | null;
  /** The final session: the client's id when sent, else the one sessionization assigns. */
  sessionId: string | null;
  groupId: string | null;
  previousId: string | null;
  url: string | null;
  path: string | null;
  host: string | null;
  search: string | null;
  title: string | null;
  referrer: string | null;
  referrerDomain: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  channel: string | null;
  deviceType: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  country: string | null;
  locale: string | null;
  ip: string | null;
  libraryName: string | null;
  libraryVersion: string | null;
  appVersion: string | null;
  properties: string;
  traits: string | null;
  context: string | null;
  /** The resolved person; null until identity resolution has processed the row. */
  personId: string | null;
  /** The session id the client sent (`context.sessionId` or `properties.$session_id`), if any. */
  clientSessionId: string | null;
}

/** The logical type of an event column; each store maps it to its own SQL type. */
export type ColumnKind = 'string' | 'timestamp' | 'json';

/**
 * The `events` columns in table order: SQL name, field of EventRow, logical type, and the schema
 * version that added the column (absent: version 1). New columns go last: ALTER TABLE appends.
 */
export const EVENT_COLUMNS: readonly {
  name: string;
  field: keyof EventRow;
  kind: ColumnKind;
  sinceVersion?: number;
}[] = [
  { name: 'project_id', field: 'projectId', kind: 'string' },
  { name: 'message_id', field: 'messageId', kind: 'string' },
  { name: 'type', field: 'type', kind: 'string' },
  { name: 'event', field: 'event', kind: 'string' },
  { name: 'timestamp', field: 'timestampUs', kind: 'timestamp' },
  { name: 'received_at', field: 'receivedAtUs', kind: 'timestamp' },
  { name: 'sent_at', field: 'sentAtUs', kind: 'timestamp' },
  { name: 'inserted_at', field: 'insertedAtUs', kind: 'timestamp' },
  { name: 'distinct_id', field: 'distinctId', kind: 'string' },
  { name: 'anonymous_id', field: 'anonymousId', kind: 'string' },
  { name: 'user_id', field: 'userId', kind: 'string' },
  { name: 'session_id', field: 'sessionId', kind: 'string' },
  { name: 'group_id', field: 'groupId', kind: 'string' },
  { name: 'previous_id', field: 'previousId', kind: 'string' },
  { name: 'url', field: 'url', kind: 'string' },
  { name: 'path', field: 'path', kind: 'string' },
  { name: 'host', field: 'host', kind: 'string' },
  { name: 'search', field: 'search', kind: 'string' },
  { name: 'title', field: 'title', kind: 'string' },
  { name: 'referrer', field: 'referrer', kind: 'string' },
  { name: 'referrer_domain', field: 'referrerDomain', kind: 'string' },
  { name: 'utm_source', field: 'utmSource', kind: 'string' },
  { name: 'utm_medium', field: 'utmMedium', kind: 'string' },
  { name: 'utm_campaign', field: 'utmCampaign', kind: 'string' },
  { name: 'utm_term', field: 'utmTerm', kind: 'string' },
  { name: 'utm_content', field: 'utmContent', kind: 'string' },
  { name: 'channel', field: 'channel', kind: 'string' },
  { name: 'device_type', field: 'deviceType', kind: 'string' },
  { name: 'browser', field: 'browser', kind: 'string' },
  { name: 'browser_version', field: 'browserVersion', kind: 'string' },
  { name: 'os', field: 'os', kind: 'string' },
  { name: 'os_version', field: 'osVersion', kind: 'string' },
  { name: 'country', field: 'country', kind: 'string' },
  { name: 'locale', field: 'locale', kind: 'string' },
  { name: 'ip', field: 'ip', kind: 'string' },
  { name: 'library_name', field: 'libraryName', kind: 'string' },
  { name: 'library_version', field: 'libraryVersion', kind: 'string' },
  { name: 'app_version', field: 'appVersion', kind: 'string' },
  { name: 'properties', field: 'properties', kind: 'json' },
  { name: 'traits', field: 'traits', kind: 'json' },
  { name: 'context', field: 'context', kind: 'json' },
  { name: 'person_id', field: 'personId', kind: 'string', sinceVersion: 2 },
  { name: 'client_session_id', field: 'clientSessionId', kind: 'string', sinceVersion: 2 },
];

/** Why an event was rejected: a stable code and a human reason. */
export type RejectionCode =
  | 'invalid_type'
  | 'not_an_object'
  | 'missing_identity'
  | 'missing_event'
  | 'event_too_large'
  | 'timestamp_invalid'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'malformed_json';

/** A rejected event, kept with its raw payload (like Snowplow's failed events). */
export interface RejectedRow {
  projectId: string | null;
  receivedAtUs: number;
  source: string;
  batchIndex: number | null;
  code: RejectionCode;
  reason: string;
  raw: string;
}
