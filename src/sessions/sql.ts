/**
 * The sessionization SQL, in one file so that it can move behind query's emitter later.
 * Rules (ARCHITECTURE.md, "Session"; README, "Sessions"), per person, over the events without a
 * client session id, ordered by (timestamp, message_id):
 *   1. a visit starts at the first event, after a gap longer than the timeout, and (optionally)
 *      when the local date in the project's time zone changes;
 *   2. within a visit, an event whose campaign (utm_source|medium|campaign) is set and differs
 *      from the last campaign seen earlier in that visit starts a new session — once the visit
 *      has had an interaction (track, page, screen): an identify sent just before the landing
 *      page joins the landing page's session instead of making one of its own.
 * A server session's id is `s_` + the message id of its first event: unique per project and the
 * same whatever order the events arrived in.
 */

/** The sessionization settings a query is built for. */
export interface SessionRules {
  readonly timeoutSec: number;
  readonly isSplitAtMidnight: boolean;
}

/** The event columns a session's attributes are computed from. */
export const SESSION_SOURCE_COLUMNS = [
  'message_id',
  'type',
  'event',
  'url',
  'path',
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
  'os',
  'country',
] as const;

const CAMPAIGN = `CASE WHEN coalesce(utm_source, utm_medium, utm_campaign) IS NULL THEN NULL
  ELSE concat_ws('|', coalesce(utm_source, ''), coalesce(utm_medium, ''), coalesce(utm_campaign, '')) END`;

/**
 * The assignment of each in-scope server-sessionized event to its session: rid (the events
 * rowid) and session_id. `eventsFrom` is a relation over events rows with rid, person_id, ts,
 * message_id, type and the utm columns; `timeZone` is the time zone's placeholder (bound) when
 * splitting at midnight.
 * Only narrow rows go through the window sorts: carrying the attribute columns through four
 * of them made the split 4x slower (bench/sessions.ts).
 */
export function assignmentSql(eventsFrom: string, rules: SessionRules, timeZone = '$2'): string {
  const timeoutUs = Math.round(rules.timeoutSec * 1_000_000);
  // TIMESTAMP is UTC: AT TIME ZONE 'UTC' makes it an instant, AT TIME ZONE the project's zone its local time.
  const dayChange = rules.isSplitAtMidnight
    ? `OR (ts AT TIME ZONE 'UTC' AT TIME ZONE ${timeZone})::DATE <> (lag(ts) OVER w AT TIME ZONE 'UTC' AT TIME ZONE ${timeZone})::DATE`
    : '';
  return `WITH ev AS (
  SELECT rid, person_id, ts, message_id, ${CAMPAIGN} AS campaign,
    type IN ('track', 'page', 'screen') AS is_interaction FROM ${eventsFrom}
),
gaps AS (
  SELECT *, (lag(ts) OVER w IS NULL OR epoch_us(ts) - epoch_us(lag(ts) OVER w) > ${timeoutUs} ${dayChange}) AS is_visit_start
  FROM ev WINDOW w AS (PARTITION BY person_id ORDER BY ts, message_id)
),
visits AS (
  SELECT *, sum(is_visit_start::INTEGER) OVER (PARTITION BY person_id ORDER BY ts, message_id
    ROWS UNBOUNDED PRECEDING) AS visit
  FROM gaps
),
marks AS (
  SELECT *, is_visit_start OR (campaign IS NOT NULL AND campaign IS DISTINCT FROM
    last_value(campaign IGNORE NULLS) OVER before AND coalesce(bool_or(is_interaction) OVER before, false)) AS is_start
  FROM visits
  WINDOW before AS (PARTITION BY person_id, visit ORDER BY ts, message_id
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT rid,
  's_' || last_value(CASE WHEN is_start THEN message_id END IGNORE NULLS) OVER (PARTITION BY person_id
    ORDER BY ts, message_id ROWS UNBOUNDED PRECEDING) AS session_id
FROM marks`;
}

/**
 * An order key for arg_min/arg_max: time, then a hash of the message id for equal times. One
 * HUGEINT compares much faster than a (ts, message_id) struct in 17 aggregates.
 */
export const ORDER_KEY = 'epoch_us(ts)::HUGEINT * 18446744073709551616 + hash(message_id)';

/** Session attributes taken from the first event that has each. */
export const SESSION_DEVICE_COLUMNS = ['device_type', 'browser', 'os', 'country'] as const;

/** Session attributes taken from the first event with a url (the landing). */
export const SESSION_LANDING_COLUMNS = [
  'referrer',
  'referrer_domain',
  'utm_source',
  'utm_medium',
  'utm_campaign',
].concat(['utm_term', 'utm_content', 'channel']);

/**
 * One sessions row per session_id of `source` (a relation with session_id, person_id, ts, k —
 * the ORDER_KEY — and the SESSION_SOURCE_COLUMNS). `$1` is the project id; `goals` is a bound
 * VARCHAR[] placeholder. Bounce: exactly one page or screen view and no other track, page or
 * screen event. Kept so that new rows can be merged into the row: the count of interactions, the
 * order key of the event each device attribute came from, the latest of those the entry and
 * landing attributes came from, and the earliest of those the exit attributes came from
 * (`isKeyed` adds each attribute's own key as `<column>_k`).
 */
export function sessionRowsSql(
  source: string,
  isClientSession: boolean,
  goals: string,
  isKeyed = false,
): string {
  const view = "type IN ('page', 'screen')";
  // Per attribute, the order key of the event it came from (arg_min/arg_max skip NULLs).
  const keyOf: Record<string, string> = {
    entry_url: `min(k) FILTER (WHERE ${view} AND url IS NOT NULL)`,
    entry_path: `min(k) FILTER (WHERE ${view} AND path IS NOT NULL)`,
    exit_url: `max(k) FILTER (WHERE ${view} AND url IS NOT NULL)`,
    exit_path: `max(k) FILTER (WHERE ${view} AND path IS NOT NULL)`,
  };
  for (const c of SESSION_LANDING_COLUMNS)
    keyOf[c] = `min(k) FILTER (WHERE url IS NOT NULL AND ${c} IS NOT NULL)`;
  const perAttribute = isKeyed
    ? `, ${Object.entries(keyOf)
        .map(([c, key]) => `${key} AS ${c}_k`)
        .join(', ')}`
    : '';
  const landing = (c: string) => `arg_min(${c}, k) FILTER (WHERE url IS NOT NULL)`;
  const device = (c: string) => `arg_min(${c}, k) FILTER (WHERE ${c} IS NOT NULL)`;
  const views = `count(*) FILTER (WHERE type IN ('page', 'screen'))`;
  const interactions = `count(*) FILTER (WHERE type IN ('track', 'page', 'screen'))`;
  return `SELECT $1 AS project_id, session_id, arg_min(person_id, k) AS person_id,
  ${isClientSession} AS is_client_session, min(ts) AS start_ts, max(ts) AS end_ts,
  (epoch_us(max(ts)) - epoch_us(min(ts))) / 1e6 AS duration_sec, count(*) AS event_count,
  ${views} AS pageview_count, (${views} = 1 AND ${interactions} = 1) AS is_bounce,
  arg_min(url, k) FILTER (WHERE type IN ('page', 'screen')) AS entry_url,
  arg_min(path, k) FILTER (WHERE type IN ('page', 'screen')) AS entry_path,
  arg_max(url, k) FILTER (WHERE type IN ('page', 'screen')) AS exit_url,
  arg_max(path, k) FILTER (WHERE type IN ('page', 'screen')) AS exit_path,
  ${landing('referrer')} AS referrer, ${landing('referrer_domain')} AS referrer_domain,
  ${landing('utm_source')} AS utm_source, ${landing('utm_medium')} AS utm_medium,
  ${landing('utm_campaign')} AS utm_campaign, ${landing('utm_term')} AS utm_term,
  ${landing('utm_content')} AS utm_content, ${landing('channel')} AS channel,
  ${device('device_type')} AS device_type, ${device('browser')} AS browser, ${device('os')} AS os,
  ${device('country')} AS country,
  coalesce(list(DISTINCT event ORDER BY event) FILTER (WHERE list_contains(${goals}, event)), []) AS goals,
  greatest(${keyOf.entry_url}, ${keyOf.entry_path}) AS entry_key, least(${keyOf.exit_url}, ${keyOf.exit_path}) AS exit_key,
  greatest(${SESSION_LANDING_COLUMNS.map((c) => keyOf[c]).join(', ')}) AS landing_key${perAttribute},
  ${SESSION_DEVICE_COLUMNS.map((c) => `min(k) FILTER (WHERE ${c} IS NOT NULL) AS ${c}_key`).join(', ')},
  ${interactions} AS interaction_count
FROM ${source} GROUP BY session_id`;
}
