import type { SqlSession } from '../store/index.js';
import { CHANGED_PERSONS_TABLE, NEW_EVENTS_TABLE } from './process.js';

/** Time, then a hash of the message id: one HUGEINT compares far faster than a struct. */
const ORDER_KEY = 'epoch_us(timestamp)::HUGEINT * 18446744073709551616 + hash(message_id)';

/** First-touch attributes: taken from the person's first event with a page (url), by time. */
const FIRST_TOUCH = ['referrer', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign']
  .concat(['utm_term', 'utm_content', 'channel'])
  .map((c) => `arg_min(${c}, k) FILTER (WHERE url IS NOT NULL) AS initial_${c}`);

/** Device attributes: from the first event that has a device type. */
const FIRST_DEVICE = ['device_type', 'browser', 'os', 'country'].map(
  (c) => `arg_min(${c}, k) FILTER (WHERE ${c} IS NOT NULL) AS initial_${c}`,
);

/**
 * Every events row of the persons recounted by an incremental refresh, with the columns persons
 * and sessions read: sessionization takes these persons' rows from here instead of scanning
 * events again. `pw_person_targets(person_id)` lists the persons.
 */
export const PERSON_ROWS_TABLE = 'pw_person_rows';
export const PERSON_TARGETS_TABLE = 'pw_person_targets';

const PERSON_ROW_COLUMNS = ['session_id', 'client_session_id', 'person_id', 'timestamp', 'user_id', 'traits']
  .concat(['message_id', 'type', 'event', 'url', 'path', 'referrer', 'referrer_domain', 'utm_source'])
  .concat(['utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'channel', 'device_type', 'browser'])
  .concat(['os', 'country'])
  .join(', ');

/**
 * Recomputes the persons rows of every person that got new events or whose ids changed
 * (all persons of the project when `isFull`). Traits come from identify calls (a group call's
 * traits describe the group): per key the value of the latest event
 * that set it, with that event's time (`{"plan": {"value": "pro", "set_at": "…"}}`).
 */
export async function refreshPersons(tx: SqlSession, projectId: string, isFull: boolean): Promise<void> {
  const target = isFull
    ? `SELECT DISTINCT person_id FROM events WHERE project_id = $1`
    : `SELECT person_id FROM ${NEW_EVENTS_TABLE} UNION SELECT person_id FROM ${CHANGED_PERSONS_TABLE}`;
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_person_targets AS ${target}`,
    params: isFull ? [projectId] : [],
  });
  if (!isFull) {
    await extendPersons(tx, projectId);
    await tx.run({
      sql: `CREATE OR REPLACE TEMP TABLE ${PERSON_ROWS_TABLE} AS SELECT rowid AS rid, ${PERSON_ROW_COLUMNS}
            FROM events WHERE project_id = $1 AND person_id IN (SELECT person_id FROM pw_person_targets)`,
      params: [projectId],
    });
  }
  await tx.run({
    sql: `DELETE FROM persons WHERE project_id = $1 ${isFull ? '' : 'AND person_id IN (SELECT person_id FROM pw_person_targets)'}`,
    params: [projectId],
  });
  await tx.run({
    sql: `INSERT INTO persons BY NAME
          WITH ev AS (
            SELECT *, ${ORDER_KEY} AS k FROM ${isFull ? 'events WHERE project_id = $1' : PERSON_ROWS_TABLE}
          ),
          trait_values AS (
            SELECT ev.person_id, je.key AS k,
                   arg_max(je.value, ev.k) AS v, max(ev.timestamp) AS t
            FROM ev, json_each(ev.traits) je
            WHERE ev.type = 'identify' AND ev.traits IS NOT NULL AND json_type(ev.traits) = 'OBJECT'
            GROUP BY ev.person_id, je.key
          ),
          -- Keys in order: json_group_object is a macro and cannot take ORDER BY.
          traits AS (
            SELECT person_id, ('{' || string_agg(to_json(k)::VARCHAR || ':' || json_object('value', v, 'set_at',
                     strftime(t, '%Y-%m-%dT%H:%M:%S.%fZ'))::VARCHAR, ',' ORDER BY k) || '}')::JSON AS traits
            FROM trait_values GROUP BY person_id
          ),
          ids AS (
            SELECT person_id, list(DISTINCT distinct_id ORDER BY distinct_id) AS distinct_ids
            FROM person_distinct_ids WHERE project_id = $1 GROUP BY person_id
          ),
          agg AS (
            SELECT person_id, min(timestamp) AS first_seen, max(timestamp) AS last_seen, count(*) AS event_count,
                   bool_or(user_id IS NOT NULL) AS is_identified,
                   ${FIRST_TOUCH.join(',\n                   ')},
                   arg_min(url, k) FILTER (WHERE url IS NOT NULL) AS initial_landing_url,
                   arg_min(path, k) FILTER (WHERE url IS NOT NULL) AS initial_landing_path,
                   ${FIRST_DEVICE.join(',\n                   ')}
            FROM ev GROUP BY person_id
          )
          SELECT $1 AS project_id, agg.*, coalesce(ids.distinct_ids, [agg.person_id]) AS distinct_ids, traits.traits
          FROM agg LEFT JOIN ids USING (person_id) LEFT JOIN traits USING (person_id)`,
    params: [projectId],
  });
}

/**
 * The common case without a recount: a known person whose new events all come after its last
 * seen event, carry no identify (traits) and bring no first value of a first-touch attribute
 * only moves last_seen and event_count. Such persons leave pw_person_targets; the rest are
 * recounted from their events.
 */
async function extendPersons(tx: SqlSession, projectId: string): Promise<void> {
  const has = (c: string) => `bool_or(${c} IS NOT NULL) AS has_${c}`;
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_person_extend AS
          WITH fresh AS (
            SELECT person_id, min(timestamp) AS first_new, max(timestamp) AS last_new, count(*) AS n,
                   bool_or(type = 'identify') AS has_identify, ${['user_id', 'url', 'device_type', 'browser', 'os', 'country'].map(has).join(', ')}
            FROM ${NEW_EVENTS_TABLE} GROUP BY person_id
          )
          SELECT f.person_id, f.last_new, f.n FROM fresh f
          JOIN persons p ON p.project_id = $1 AND p.person_id = f.person_id
          WHERE f.person_id NOT IN (SELECT person_id FROM ${CHANGED_PERSONS_TABLE})
            AND f.first_new > p.last_seen AND NOT f.has_identify AND (p.is_identified OR NOT f.has_user_id)
            AND (p.initial_landing_url IS NOT NULL OR NOT f.has_url)
            AND (p.initial_device_type IS NOT NULL OR NOT f.has_device_type)
            AND (p.initial_browser IS NOT NULL OR NOT f.has_browser)
            AND (p.initial_os IS NOT NULL OR NOT f.has_os)
            AND (p.initial_country IS NOT NULL OR NOT f.has_country)`,
    params: [projectId],
  });
  await tx.run({
    sql: `UPDATE persons SET last_seen = x.last_new, event_count = persons.event_count + x.n
          FROM pw_person_extend x WHERE persons.project_id = $1 AND persons.person_id = x.person_id`,
    params: [projectId],
  });
  await tx.run({
    sql: 'DELETE FROM pw_person_targets WHERE person_id IN (SELECT person_id FROM pw_person_extend)',
  });
}
