import type { SqlSession } from '../store/index.js';
import { CHANGED_PERSONS_TABLE, NEW_EVENTS_TABLE } from './process.js';

/** Time, then a hash of the message id: one HUGEINT compares far faster than a struct. */
const ORDER_KEY = 'epoch_us(timestamp)::HUGEINT * 18446744073709551616 + hash(message_id)';

/**
 * First-touch attributes: each from the person's first event with a page (url) that has it (arg_min
 * skips NULLs), as [persons column, events column].
 */
const LANDING: readonly (readonly [string, string])[] = [
  ...['referrer', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']
    .concat(['channel'])
    .map((c) => [`initial_${c}`, c] as const),
  ['initial_landing_url', 'url'],
  ['initial_landing_path', 'path'],
];
const FIRST_TOUCH = LANDING.map(([to, c]) => `arg_min(${c}, k) FILTER (WHERE url IS NOT NULL) AS ${to}`);
/** The order key of the event a first-touch attribute came from. */
const landingKey = (c: string) => `min(k) FILTER (WHERE url IS NOT NULL AND ${c} IS NOT NULL)`;

/** Device attributes: each from the first event that has it. */
const DEVICE = ['device_type', 'browser', 'os', 'country'] as const;
const FIRST_DEVICE = DEVICE.map(
  (c) => `arg_min(${c}, k) FILTER (WHERE ${c} IS NOT NULL) AS initial_${c},
          min(k) FILTER (WHERE ${c} IS NOT NULL) AS initial_${c}_key`,
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
 * One persons row per person of `rows` (a relation of events rows), counted from those rows
 * alone. `$1` is the project id. Traits come from identify calls (a group call's traits describe
 * the group): per key the value of the latest event that set it, with that event's time
 * (`{"plan": {"value": "pro", "set_at": "…"}}`).
 */
function personsSql(rows: string, persons = 'true', isKeyed = false): string {
  // initial_landing_key: the latest of the first-touch attributes' events (an upper bound for each).
  const landingKeys = `greatest(${LANDING.map(([, c]) => landingKey(c)).join(', ')}) AS initial_landing_key${
    isKeyed ? `, ${LANDING.map(([to, c]) => `${landingKey(c)} AS ${to}_k`).join(', ')}` : ''
  }`;
  return `WITH ev AS (SELECT *, ${ORDER_KEY} AS k FROM ${rows}),
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
            FROM person_distinct_ids WHERE project_id = $1 AND ${persons} GROUP BY person_id
          ),
          agg AS (
            SELECT person_id, min(timestamp) AS first_seen, max(timestamp) AS last_seen, count(*) AS event_count,
                   bool_or(user_id IS NOT NULL) AS is_identified,
                   ${FIRST_TOUCH.join(',\n                   ')},
                   ${landingKeys},
                   ${FIRST_DEVICE.join(',\n                   ')}
            FROM ev GROUP BY person_id
          )
          SELECT $1 AS project_id, agg.*, coalesce(ids.distinct_ids, [agg.person_id]) AS distinct_ids, traits.traits
          FROM agg LEFT JOIN ids USING (person_id) LEFT JOIN traits USING (person_id)`;
}

/**
 * Recomputes the persons rows of every person that got new events or whose ids changed
 * (all persons of the project when `isFull`).
 */
export async function refreshPersons(tx: SqlSession, projectId: string, isFull: boolean): Promise<void> {
  if (isFull) {
    await tx.run({ sql: 'DELETE FROM persons WHERE project_id = $1', params: [projectId] });
    await tx.run({
      sql: `INSERT INTO persons BY NAME ${personsSql('(SELECT * FROM events WHERE project_id = $1)')}`,
      params: [projectId],
    });
    return;
  }
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE ${PERSON_TARGETS_TABLE} AS
          SELECT person_id FROM ${NEW_EVENTS_TABLE} UNION SELECT person_id FROM ${CHANGED_PERSONS_TABLE}`,
  });
  await extendPersons(tx, projectId);
  await mergePersons(tx, projectId);
  // Only persons whose ids changed, or who got traits, are counted again from all their rows.
  const left = await tx.all({ sql: `SELECT count(*) AS n FROM ${PERSON_TARGETS_TABLE}` });
  const isAny = Number(left[0]?.n ?? 0) > 0;
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE ${PERSON_ROWS_TABLE} AS SELECT rowid AS rid, ${PERSON_ROW_COLUMNS}
          FROM events WHERE ${isAny ? `project_id = $1 AND person_id IN (SELECT person_id FROM ${PERSON_TARGETS_TABLE})` : 'false'}`,
    params: isAny ? [projectId] : [],
  });
  if (!isAny) return;
  await tx.run({
    sql: `DELETE FROM persons WHERE project_id = $1 AND person_id IN (SELECT person_id FROM ${PERSON_TARGETS_TABLE})`,
    params: [projectId],
  });
  await tx.run({
    sql: `INSERT INTO persons BY NAME ${personsSql(PERSON_ROWS_TABLE, `person_id IN (SELECT person_id FROM ${PERSON_TARGETS_TABLE})`)}`,
    params: [projectId],
  });
}

/**
 * Persons whose ids did not change and whose new rows carry no identify (traits) are brought
 * up to date from their new rows alone: counts and first/last seen add up; a device attribute
 * is replaced when a new row comes before the event it came from (its stored order key); a
 * first-touch attribute is filled when it was NULL, and the person is recounted instead when a
 * new row that has one comes before the latest first-touch event (initial_landing_key). A person
 * without a persons row has no earlier rows, so its new rows are all of them. Such persons
 * leave pw_person_targets; the rest are recounted from their events.
 */
async function mergePersons(tx: SqlSession, projectId: string): Promise<void> {
  const targets = await tx.all({ sql: `SELECT count(*) AS n FROM ${PERSON_TARGETS_TABLE}` });
  if (Number(targets[0]?.n ?? 0) === 0) return;
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_person_fresh AS
          WITH counted AS (${personsSql(
            `(SELECT * EXCLUDE (rid) FROM ${NEW_EVENTS_TABLE} WHERE person_id IN (SELECT person_id FROM ${PERSON_TARGETS_TABLE}))`,
            `person_id IN (SELECT person_id FROM ${PERSON_TARGETS_TABLE})`,
            true,
          )}),
          flags AS (SELECT person_id, bool_or(type = 'identify') AS has_identify FROM ${NEW_EVENTS_TABLE} GROUP BY person_id)
          SELECT c.*, f.has_identify FROM counted c JOIN flags f USING (person_id)
          WHERE c.person_id NOT IN (SELECT person_id FROM ${CHANGED_PERSONS_TABLE})`,
    params: [projectId],
  });
  const isKnown = (attr: string, key: string) => `(p.${attr} IS NULL OR p.${key} IS NOT NULL)`;
  const isNewFirst = (key: string) =>
    `(p.person_id IS NULL OR (f.${key} IS NOT NULL AND (p.${key} IS NULL OR f.${key} < p.${key})))`;
  const pick = (cols: readonly string[], key: string) =>
    cols.map((c) => `CASE WHEN ${isNewFirst(key)} THEN f.${c} ELSE p.${c} END AS ${c}`).join(', ');
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_person_merged AS
          SELECT $1 AS project_id, f.person_id,
                 CASE WHEN p.person_id IS NULL THEN f.distinct_ids ELSE p.distinct_ids END AS distinct_ids,
                 coalesce(p.is_identified, false) OR f.is_identified AS is_identified,
                 least(p.first_seen, f.first_seen) AS first_seen, greatest(p.last_seen, f.last_seen) AS last_seen,
                 coalesce(p.event_count, 0) + f.event_count AS event_count,
                 CASE WHEN p.person_id IS NULL THEN f.traits ELSE p.traits END AS traits,
                 ${LANDING.map(([to]) => `coalesce(p.${to}, f.${to}) AS ${to}`).join(', ')},
                 greatest(p.initial_landing_key, ${LANDING.map(([to]) => `CASE WHEN p.${to} IS NULL THEN f.${to}_k END`).join(', ')})
                   AS initial_landing_key,
                 ${DEVICE.map((c) => pick([`initial_${c}`, `initial_${c}_key`], `initial_${c}_key`)).join(', ')}
          FROM pw_person_fresh f LEFT JOIN persons p ON p.project_id = $1 AND p.person_id = f.person_id
          WHERE p.person_id IS NULL OR (NOT f.has_identify
            AND ${isKnown('initial_landing_url', 'initial_landing_key')}
            AND ${LANDING.map(([to]) => `(p.${to} IS NULL OR f.${to}_k IS NULL OR f.${to}_k > p.initial_landing_key)`).join(' AND ')}
            AND ${DEVICE.map((c) => isKnown(`initial_${c}`, `initial_${c}_key`)).join(' AND ')})`,
    params: [projectId],
  });
  await tx.run({
    sql: `DELETE FROM persons WHERE project_id = $1 AND person_id IN (SELECT person_id FROM pw_person_merged)`,
    params: [projectId],
  });
  await tx.run({ sql: 'INSERT INTO persons BY NAME SELECT * FROM pw_person_merged' });
  await tx.run({
    sql: `DELETE FROM ${PERSON_TARGETS_TABLE} WHERE person_id IN (SELECT person_id FROM pw_person_merged)`,
  });
}

/**
 * The common case, without aggregating attributes: a known person whose ids did not change and
 * whose new rows carry no identify (traits), come after every event its first-touch attributes
 * came from and bring no first value of one only moves first/last seen and its counts.
 * Such persons leave pw_person_targets.
 */
async function extendPersons(tx: SqlSession, projectId: string): Promise<void> {
  const keys = ['url', ...DEVICE].map((c) => `min(k) FILTER (WHERE ${c} IS NOT NULL) AS ${c}_k`).join(', ');
  const has = LANDING.map(([to, c]) => `bool_or(url IS NOT NULL AND ${c} IS NOT NULL) AS has_${to}`).join(
    ', ',
  );
  const stays = (key: string, c: string) =>
    `(f.${c}_k IS NULL OR (p.${key} IS NOT NULL AND f.${c}_k > p.${key}))`;
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_person_extend AS
          WITH fresh AS (
            SELECT person_id, min(timestamp) AS first_new, max(timestamp) AS last_new, count(*) AS n,
                   bool_or(type = 'identify') AS has_identify, bool_or(user_id IS NOT NULL) AS has_user_id, ${keys},
                   ${has}
            FROM (SELECT *, ${ORDER_KEY} AS k FROM ${NEW_EVENTS_TABLE}) GROUP BY person_id
          )
          SELECT f.person_id, f.first_new, f.last_new, f.n, f.has_user_id FROM fresh f
          JOIN persons p ON p.project_id = $1 AND p.person_id = f.person_id
          WHERE f.person_id NOT IN (SELECT person_id FROM ${CHANGED_PERSONS_TABLE}) AND NOT f.has_identify
            AND ${stays('initial_landing_key', 'url')}
            AND ${LANDING.map(([to]) => `(p.${to} IS NOT NULL OR NOT f.has_${to})`).join(' AND ')}
            AND ${DEVICE.map((c) => stays(`initial_${c}_key`, c)).join(' AND ')}`,
    params: [projectId],
  });
  await tx.run({
    sql: `UPDATE persons SET first_seen = least(first_seen, x.first_new), last_seen = greatest(last_seen, x.last_new),
            event_count = persons.event_count + x.n, is_identified = is_identified OR x.has_user_id
          FROM pw_person_extend x WHERE persons.project_id = $1 AND persons.person_id = x.person_id`,
    params: [projectId],
  });
  await tx.run({
    sql: `DELETE FROM ${PERSON_TARGETS_TABLE} WHERE person_id IN (SELECT person_id FROM pw_person_extend)`,
  });
}
