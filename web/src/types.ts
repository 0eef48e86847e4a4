/**
 * The shapes of the public HTTP API as the dashboard uses them (README, "Insights" and
 * "Dashboard"). The server validates every spec; these types only guide the builders.
 */

export type FilterOp =
  | 'eq'
  | 'neq'
  | 'in'
  | 'contains'
  | 'regex'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'is_set'
  | 'is_not_set';

/** One filter leaf: an event property or a materialized column. */
export type FilterLeaf =
  | { property: string; op: FilterOp; value?: string | number | boolean | (string | number | boolean)[] }
  | { column: string; op: FilterOp; value?: string | number | boolean | (string | number | boolean)[] };

/** The builders write leaves combined with AND. */
export type Filter = FilterLeaf | { and: FilterLeaf[] };

export interface DateRange {
  from?: string;
  to?: string;
  last?: string;
}

export interface EventStep {
  event: string;
  where?: Filter;
  label?: string;
}

export type Breakdown = ({ property: string } | { column: string }) & { limit?: number };
export type Interval = 'hour' | 'day' | 'week' | 'month';

export interface FunnelSpec {
  kind: 'funnel';
  steps: EventStep[];
  mode?: 'ordered' | 'strict' | 'unordered';
  countBy?: 'person' | 'session';
  windowSec?: number;
  exclusions?: { event: string; where?: Filter; fromStep?: number; toStep?: number }[];
  where?: Filter;
  breakdown?: Breakdown;
  dateRange?: DateRange;
  trendInterval?: Interval;
  persons?: { step: number; status: 'converted' | 'dropped'; limit?: number; offset?: number };
}

export type TrendsMath =
  | 'total'
  | 'unique_persons'
  | 'unique_sessions'
  | 'dau'
  | 'wau'
  | 'mau'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'median'
  | 'p90'
  | 'p99'
  | 'per_person_avg';

export interface TrendsSeries {
  event: string;
  where?: Filter;
  math?: TrendsMath;
  property?: string;
  label?: string;
}

export interface TrendsSpec {
  kind: 'trends';
  series: TrendsSeries[];
  interval?: Interval;
  dateRange?: DateRange;
  where?: Filter;
  breakdown?: Breakdown;
  compare?: boolean;
  formula?: string;
}

export interface RetentionSpec {
  kind: 'retention';
  start: EventStep[];
  return: EventStep[];
  period?: 'day' | 'week' | 'month';
  periods?: number;
  cohort?: 'first_time' | 'recurring';
  returnMode?: 'exact' | 'unbounded';
  dateRange?: DateRange;
  where?: Filter;
}

export interface PathsSpec {
  kind: 'paths';
  start?: EventStep;
  end?: EventStep;
  countBy?: 'person' | 'session';
  steps?: number;
  exclude?: string[];
  errorEvents?: string[];
  topTransitions?: number;
  dateRange?: DateRange;
  where?: Filter;
}

export type SessionAttribute =
  | 'channel'
  | 'device_type'
  | 'browser'
  | 'os'
  | 'country'
  | 'referrer_domain'
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'entry_path'
  | 'exit_path';

export interface SessionsSpec {
  kind: 'sessions';
  from: string;
  to: string;
  breakdown?: SessionAttribute;
  breakdownLimit?: number;
  topPages?: number;
}

export type AnySpec = FunnelSpec | TrendsSpec | RetentionSpec | PathsSpec | SessionsSpec;
export type SpecKind = AnySpec['kind'];

export interface ResolvedRange {
  from: string;
  to: string;
  timeZone: string;
}

export interface HistogramBin {
  fromSec: number;
  toSec: number | null;
  count: number;
}

export interface FunnelStepResult {
  index: number;
  event: string;
  label: string;
  count: number;
  conversionFromPrevious: number | null;
  conversionFromFirst: number | null;
  dropOff: number;
  dropOffRate: number | null;
  avgTimeToConvertSec: number | null;
  medianTimeToConvertSec: number | null;
  timeToConvertHistogram: HistogramBin[];
}

export interface FunnelResult {
  kind: 'funnel';
  dateRange: ResolvedRange;
  mode: string;
  countBy: 'person' | 'session';
  windowSec: number;
  steps: FunnelStepResult[];
  breakdown?: { value: string | null; steps: FunnelStepResult[] }[];
  trend: { cohort: string; entered: number; converted: number; conversionRate: number | null }[];
  persons?: {
    step: number;
    status: 'converted' | 'dropped';
    total: number;
    offset: number;
    limit: number;
    items: { id: string; stepsReached: number; startedAt: string }[];
  };
}

export interface TrendsLine {
  label: string;
  event: string | null;
  math: string;
  breakdownValue?: string | null;
  buckets: string[];
  values: (number | null)[];
  total: number;
}

export interface TrendsResult {
  kind: 'trends';
  dateRange: ResolvedRange;
  interval: string;
  series: TrendsLine[];
  formula?: TrendsLine;
  previous?: { dateRange: ResolvedRange; series: TrendsLine[] };
}

export interface RetentionResult {
  kind: 'retention';
  dateRange: ResolvedRange;
  period: string;
  cohorts: { cohort: string; size: number; retained: (number | null)[]; rates: (number | null)[] }[];
  average: (number | null)[];
}

export interface PathsResult {
  kind: 'paths';
  dateRange: ResolvedRange;
  countBy: string;
  units: number;
  transitions: { step: number; from: string; to: string; units: number }[];
  topPaths: { path: string[]; units: number }[];
  loops: { units: number; top: { event: string; units: number }[] };
  deadEnds: { units: number; top: { path: string[]; reason: string; units: number }[] };
}

export interface SessionMetrics {
  sessions: number;
  avgDurationSec: number | null;
  medianDurationSec: number | null;
  bounceRate: number | null;
  pagesPerSession: number | null;
  durationHistogram: { fromSec: number | null; toSec: number | null; sessions: number }[];
  entryPages: { path: string | null; sessions: number }[];
  exitPages: { path: string | null; sessions: number }[];
}

export interface SessionsResult extends SessionMetrics {
  kind: 'sessions';
  dateRange: ResolvedRange;
  breakdown: string | null;
  groups: (SessionMetrics & { value: unknown })[];
}

export type AnyResult = FunnelResult | TrendsResult | RetentionResult | PathsResult | SessionsResult;

/** Result type for a spec kind. */
export type ResultOf<K extends SpecKind> = Extract<AnyResult, { kind: K }>;

export interface ListedEvent {
  messageId: string;
  timestamp: string;
  receivedAt: string;
  type: string;
  event: string | null;
  distinctId: string;
  personId: string;
  sessionId: string | null;
  url: string | null;
  path: string | null;
  channel: string | null;
  deviceType: string | null;
  browser: string | null;
  os: string | null;
  country: string | null;
  properties: Record<string, unknown>;
}

export interface Catalog {
  events: { name: string; count: number }[];
  properties: string[];
}

export interface PersonRow {
  person_id: string;
  distinct_ids: string[];
  is_identified: boolean;
  first_seen: string;
  last_seen: string;
  event_count: number;
  traits: Record<string, { value: unknown; set_at: string }>;
  initial_channel: string | null;
  initial_device_type: string | null;
  initial_country: string | null;
  [key: string]: unknown;
}

export interface TimelineSession {
  session_id: string;
  start_ts: string;
  end_ts: string;
  duration_sec: number;
  event_count: number;
  pageview_count: number;
  is_bounce: boolean;
  entry_path: string | null;
  exit_path: string | null;
  channel: string | null;
  utm_campaign: string | null;
  device_type: string | null;
  goals: string[];
  events: {
    session_id: string;
    timestamp: string;
    event: string;
    distinct_id: string;
    path: string | null;
  }[];
}

export interface PersonDetail {
  person: PersonRow;
  distinctIds: { distinct_id: string; valid_from: string | null; valid_to: string | null }[];
  sessions: TimelineSession[];
  moreSessions: number;
}

export interface SavedInsight {
  insightId: string;
  name: string;
  description: string | null;
  /** Also kinds the dashboard does not edit (attribution, ctr), saved through the API. */
  kind: SpecKind | (string & {});
  spec: AnySpec;
  createdAt: string;
  updatedAt: string;
}

export interface DashboardTile {
  insightId: string;
  width: 1 | 2;
}

export interface Dashboard {
  dashboardId: string;
  name: string;
  description: string | null;
  tiles: DashboardTile[];
  createdAt: string;
  updatedAt: string;
}

/** One row of the audit log (GET /api/audit). */
export interface AuditRecord {
  seq: number;
  at: string;
  projectId: string | null;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  action: string;
  target: string | null;
  detail: unknown;
  status: number | null;
  rowCount: number | null;
  address: string | null;
  prevHash: string;
  rowHash: string;
}

/** The audit chain's check (GET /api/audit/verify). */
export interface AuditVerification {
  isIntact: boolean;
  rows: number | null;
  lastSeq: number | null;
  brokenAt: number | null;
  reason: string | null;
}
