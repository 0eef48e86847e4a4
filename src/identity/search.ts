import type { Row, Warehouse } from '../store/index.js';

/** One page of persons matching a search, with the number of all matches. */
export interface PersonSearch {
  readonly total: number;
  readonly items: readonly Row[];
}

/** What a search may ask for. */
export interface PersonSearchOptions {
  /** Text found (case-insensitive) in the person id, a distinct id or the traits; empty: everyone. */
  readonly q?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** Persons whose id, distinct ids or traits contain `q`, most recently seen first. */
export async function searchPersons(
  wh: Warehouse,
  projectId: string,
  options: PersonSearchOptions = {},
): Promise<PersonSearch> {
  const q = options.q?.trim() ?? '';
  // The text is bound and matched with strpos, never as a LIKE pattern: % and _ are literal.
  const where = `project_id = $1 AND ($2 = '' OR strpos(lower(person_id), lower($2)) > 0
      OR len(list_filter(distinct_ids, d -> strpos(lower(d), lower($2)) > 0)) > 0
      OR strpos(lower(coalesce(traits::VARCHAR, '')), lower($2)) > 0)`;
  const total = await wh.all({
    sql: `SELECT count(*) AS n FROM persons WHERE ${where}`,
    params: [projectId, q],
  });
  const items = await wh.all({
    sql: `SELECT person_id, distinct_ids, is_identified, first_seen, last_seen, event_count, traits,
                 initial_channel, initial_device_type, initial_country
          FROM persons WHERE ${where} ORDER BY last_seen DESC, person_id LIMIT $3 OFFSET $4`,
    params: [projectId, q, options.limit ?? 50, options.offset ?? 0],
  });
  // traits is JSON text in the store; callers get the object.
  const parsed = items.map((r) => ({
    ...r,
    traits: r.traits ? (JSON.parse(String(r.traits)) as unknown) : {},
  }));
  return { total: Number(total[0]?.n ?? 0), items: parsed };
}
