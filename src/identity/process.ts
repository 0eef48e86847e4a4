import type { SqlSession } from '../store/index.js';
import { type IdScope, loadDeviceSwitches, loadUserAliases, loadUserIds } from './evidence.js';
import { assignNewRows, isMappingUnchanged, NEW_EVENTS_TABLE, stageNewRows } from './new-rows.js';
import { type DistinctIdMapping, resolveIdentities } from './resolve.js';

/**
 * Temp tables a processing pass leaves for the next steps (persons, sessions) in the same
 * transaction: NEW_EVENTS_TABLE — the rows this pass took up, with `rid` (events rowid),
 * `person_id`, `timestamp`, `client_session_id` and the columns persons read (empty after a
 * rebuild, which takes up every row), and
 * `pw_changed_persons(person_id)` — persons whose set of events changed other than by new rows
 * (old and new owners of every id whose mapping changed): they need a full recount.
 */
export { NEW_EVENTS_TABLE };
export const CHANGED_PERSONS_TABLE = 'pw_changed_persons';

/** What a pass of identity resolution did. */
export interface IdentityPass {
  readonly newEvents: number;
  readonly idsResolved: number;
  readonly changedPersons: number;
  /** The smallest events rowid among the new rows (null after a rebuild or without new rows). */
  readonly firstRowid: number | null;
}

/** Ids touched by the unprocessed rows, closed over every person any of them belongs to. */
async function collectIds(tx: SqlSession, projectId: string): Promise<void> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_ids AS
          SELECT DISTINCT id FROM (
            SELECT unnest([distinct_id, anonymous_id, user_id, previous_id]) AS id FROM ${NEW_EVENTS_TABLE}
          ) WHERE id IS NOT NULL`,
  });
  // A shared device belongs to several persons, so closing may take more than one step.
  for (let step = 0; step < 100; step++) {
    const rows = await tx.all({
      sql: `INSERT INTO pw_ids
            SELECT DISTINCT m2.distinct_id FROM person_distinct_ids m1
            JOIN person_distinct_ids m2 ON m2.project_id = $1 AND m2.person_id = m1.person_id
            WHERE m1.project_id = $1 AND m1.distinct_id IN (SELECT id FROM pw_ids)
              AND m2.distinct_id NOT IN (SELECT id FROM pw_ids)`,
      params: [projectId],
    });
    if (Number(rows[0]?.Count ?? rows[0]?.count ?? 0) === 0) return;
  }
}

/** Every id of the project, for a full rebuild. */
async function listAllIds(tx: SqlSession, projectId: string): Promise<void> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_ids AS
          SELECT DISTINCT id FROM (
            SELECT unnest([distinct_id, anonymous_id, user_id, previous_id]) AS id
            FROM events WHERE project_id = $1
          ) WHERE id IS NOT NULL`,
    params: [projectId],
  });
}

/** Writes the resolved mappings into pw_map, with the trivial `id → id` for ids without links. */
async function stageMappings(tx: SqlSession, mappings: readonly DistinctIdMapping[]): Promise<void> {
  const us = (v: number | null) => (v === null ? '' : String(v));
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_map AS
          SELECT unnest($1::VARCHAR[]) AS distinct_id, unnest($2::VARCHAR[]) AS person_id,
                 make_timestamp(nullif(unnest($3::VARCHAR[]), '')::BIGINT) AS valid_from,
                 make_timestamp(nullif(unnest($4::VARCHAR[]), '')::BIGINT) AS valid_to`,
    params: [
      mappings.map((m) => m.distinctId),
      mappings.map((m) => m.personId),
      mappings.map((m) => us(m.fromUs)),
      mappings.map((m) => us(m.toUs)),
    ],
  });
  // A user seen only through a device outside the scope keeps its stored mapping.
  await tx.run({ sql: 'DELETE FROM pw_map WHERE distinct_id NOT IN (SELECT id FROM pw_ids)' });
  await tx.run({
    sql: `INSERT INTO pw_map SELECT id, id, NULL, NULL FROM pw_ids
          WHERE id NOT IN (SELECT distinct_id FROM pw_map)`,
  });
}

/** Replaces the stored mappings of the ids in scope; records which persons changed. */
async function swapMappings(tx: SqlSession, projectId: string, scope: IdScope): Promise<void> {
  const stored = `SELECT distinct_id, person_id, valid_from, valid_to FROM person_distinct_ids
                  WHERE project_id = $1 AND distinct_id IN (SELECT id FROM pw_ids)`;
  const staged = 'SELECT distinct_id, person_id, valid_from, valid_to FROM pw_map';
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_changed AS
          SELECT * FROM ((${stored}) EXCEPT (${staged})) UNION ((${staged}) EXCEPT (${stored}))`,
    params: [projectId],
  });
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE ${CHANGED_PERSONS_TABLE} AS SELECT DISTINCT person_id FROM pw_changed`,
  });
  // Ids seen before whose mapping changed: their earlier rows may change person.
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_changed_ids AS SELECT DISTINCT distinct_id FROM pw_changed
          WHERE distinct_id IN (${stored.replace('SELECT distinct_id, person_id, valid_from, valid_to', 'SELECT distinct_id')})`,
    params: [projectId],
  });
  await tx.run({
    sql: `DELETE FROM person_distinct_ids WHERE project_id = $1 ${
      scope === 'all' ? '' : 'AND distinct_id IN (SELECT id FROM pw_ids)'
    }`,
    params: [projectId],
  });
  await tx.run({
    sql: `INSERT INTO person_distinct_ids SELECT $1, distinct_id, person_id, valid_from, valid_to FROM pw_map`,
    params: [projectId],
  });
}

/**
 * Sets events.person_id of every row (a rebuild) or of the earlier rows of ids whose mapping
 * changed: a row with a userId belongs to that user's person; an anonymous row to the person its
 * device belonged to at that time; an id without links is its own person.
 */
async function assignPersons(tx: SqlSession, projectId: string, scope: IdScope): Promise<void> {
  if (scope === 'listed') {
    const changed = await tx.all({ sql: 'SELECT count(*) AS n FROM pw_changed_ids' });
    if (Number(changed[0]?.n ?? 0) === 0) return;
  }
  const rowScope =
    scope === 'all'
      ? 'true'
      : 'person_id IS NOT NULL AND coalesce(user_id, distinct_id) IN (SELECT distinct_id FROM pw_changed_ids)';
  // Two equi-joins instead of one join with OR'ed range conditions: DuckDB plans the latter as
  // a nested loop (measured 70x slower on 200k rows).
  await tx.run({
    sql: `UPDATE events SET person_id = a.person_id FROM (
            WITH scoped AS (
              SELECT rowid AS rid, user_id, distinct_id, timestamp FROM events WHERE project_id = $1 AND ${rowScope}
            ),
            map AS (SELECT * FROM person_distinct_ids WHERE project_id = $1)
            SELECT s.rid, m.person_id FROM scoped s JOIN map m ON m.distinct_id = s.user_id
            UNION ALL
            SELECT s.rid, m.person_id FROM scoped s JOIN map m ON m.distinct_id = s.distinct_id
            WHERE s.user_id IS NULL AND (m.valid_from IS NULL OR s.timestamp >= m.valid_from)
              AND (m.valid_to IS NULL OR s.timestamp < m.valid_to)
          ) a WHERE events.rowid = a.rid`,
    params: [projectId],
  });
  if (scope === 'listed') return;
  // Every id has a mapping; this only guards against a row being retried forever.
  await tx.run({
    sql: 'UPDATE events SET person_id = coalesce(user_id, distinct_id) WHERE project_id = $1 AND person_id IS NULL',
    params: [projectId],
  });
}

/**
 * The fast path of a pass whose rows change no stored mapping (isMappingUnchanged): only ids
 * never seen before are added, each its own person, which is what full resolution would give.
 * No person changes: a new id's person has no earlier rows.
 */
async function addNewIds(tx: SqlSession, projectId: string): Promise<void> {
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_ids AS
          SELECT DISTINCT id FROM (
            SELECT unnest([distinct_id, anonymous_id, user_id, previous_id]) AS id FROM ${NEW_EVENTS_TABLE}
          ) WHERE id IS NOT NULL`,
  });
  await tx.run({
    sql: `CREATE OR REPLACE TEMP TABLE pw_changed AS
          SELECT id AS distinct_id, id AS person_id, NULL::TIMESTAMP AS valid_from, NULL::TIMESTAMP AS valid_to
          FROM pw_ids WHERE id NOT IN (
            SELECT distinct_id FROM person_distinct_ids WHERE project_id = $1 AND distinct_id IN (SELECT id FROM pw_ids))`,
    params: [projectId],
  });
  await tx.run({ sql: `CREATE OR REPLACE TEMP TABLE ${CHANGED_PERSONS_TABLE} (person_id VARCHAR)` });
  await tx.run({
    sql: `INSERT INTO person_distinct_ids SELECT $1, distinct_id, person_id, valid_from, valid_to FROM pw_changed`,
    params: [projectId],
  });
}

/** Link evidence of the ids in scope, resolved, swapped in for their stored mappings. */
async function resolveScope(tx: SqlSession, projectId: string, scope: IdScope): Promise<void> {
  if (scope === 'all') await listAllIds(tx, projectId);
  else await collectIds(tx, projectId);
  const [userIds, switches, aliases] = [
    await loadUserIds(tx, projectId, scope),
    await loadDeviceSwitches(tx, projectId, scope),
    await loadUserAliases(tx, projectId, scope),
  ];
  await stageMappings(tx, resolveIdentities(switches, aliases, userIds));
  await swapMappings(tx, projectId, scope);
  await assignPersons(tx, projectId, scope);
}

/**
 * Resolves identities: `new` takes up the rows without a person (and re-resolves every id they
 * touch, unless they change no mapping); `all` recomputes the whole project. Leaves
 * NEW_EVENTS_TABLE and CHANGED_PERSONS_TABLE.
 */
export async function resolvePersons(
  tx: SqlSession,
  projectId: string,
  mode: 'new' | 'all',
): Promise<IdentityPass> {
  const staged = await stageNewRows(tx, projectId, mode === 'all');
  let newEvents = staged.count;
  if (mode === 'all') {
    const all = await tx.all({
      sql: 'SELECT count(*) AS n FROM events WHERE project_id = $1',
      params: [projectId],
    });
    newEvents = Number(all[0]?.n ?? 0);
  }
  if (newEvents === 0) {
    await tx.run({ sql: `CREATE OR REPLACE TEMP TABLE ${CHANGED_PERSONS_TABLE} (person_id VARCHAR)` });
    return { newEvents, idsResolved: 0, changedPersons: 0, firstRowid: null };
  }
  if (mode === 'all') await resolveScope(tx, projectId, 'all');
  else if (await isMappingUnchanged(tx, projectId)) await addNewIds(tx, projectId);
  else await resolveScope(tx, projectId, 'listed');
  if (staged.firstRowid !== null) await assignNewRows(tx, projectId, staged.firstRowid);
  const sizes = await tx.all({
    sql: `SELECT (SELECT count(*) FROM pw_ids) AS ids, (SELECT count(*) FROM ${CHANGED_PERSONS_TABLE}) AS persons`,
  });
  return {
    newEvents,
    idsResolved: Number(sizes[0]?.ids ?? 0),
    changedPersons: Number(sizes[0]?.persons ?? 0),
    firstRowid: staged.firstRowid,
  };
}
