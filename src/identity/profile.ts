import type { Row, Warehouse } from '../store/index.js';

/** A persons row with its distinct ids and time-bounded device mappings. */
export interface PersonProfile {
  readonly person: Row;
  /** Every mapping of the person: distinct id, and the interval when it is time-bounded. */
  readonly distinctIds: readonly Row[];
}

/**
 * Finds a person by person id, else by a distinct id (a shared device maps to several persons:
 * its latest owner is returned). Null when neither is known.
 */
export async function findPerson(
  wh: Warehouse,
  projectId: string,
  id: string,
): Promise<PersonProfile | null> {
  const rows = await wh.all({
    sql: `SELECT p.* FROM persons p WHERE p.project_id = $1 AND p.person_id = coalesce(
            (SELECT person_id FROM persons WHERE project_id = $1 AND person_id = $2),
            (SELECT arg_max(person_id, coalesce(valid_from, TIMESTAMP '1970-01-01'))
               FROM person_distinct_ids WHERE project_id = $1 AND distinct_id = $2))`,
    params: [projectId, id],
  });
  const person = rows[0];
  if (!person) return null;
  const distinctIds = await wh.all({
    sql: `SELECT distinct_id, valid_from, valid_to FROM person_distinct_ids
          WHERE project_id = $1 AND person_id = $2 ORDER BY distinct_id, valid_from NULLS FIRST`,
    params: [projectId, String(person.person_id)],
  });
  return { person, distinctIds };
}
