import type { Warehouse } from '../store/index.js';
import { resolveSubject } from './subject-person.js';

/** Who recorded an opt-out: the HTTP API, the CLI, or the person's own SDK call. */
export type OptOutSource = 'api' | 'cli' | 'sdk';

/** An opt-out as recorded: the person and every id whose new events are dropped. */
export interface OptOut {
  readonly projectId: string;
  readonly personId: string;
  readonly ids: readonly string[];
}

/**
 * The opt-out set, in memory for ingest (one Set lookup per event) and in `person_opt_outs` for
 * restarts. Every change goes through this object, which writes the table first and then the
 * set, so the set is never ahead of what is durable. Only one process writes a DuckDB file, so
 * no other writer can change the table behind it.
 */
export class OptOutRegistry {
  /** Per project: opted-out distinct id → its person. */
  private readonly byProject = new Map<string, Map<string, string>>();

  private constructor(private readonly wh: Warehouse) {}

  /** Loads every stored opt-out. */
  static async load(wh: Warehouse): Promise<OptOutRegistry> {
    const registry = new OptOutRegistry(wh);
    const rows = await wh.all({
      sql: 'SELECT DISTINCT project_id, distinct_id, person_id FROM person_opt_outs',
    });
    for (const r of rows)
      registry.idsOf(String(r.project_id)).set(String(r.distinct_id), String(r.person_id));
    return registry;
  }

  private idsOf(projectId: string): Map<string, string> {
    let ids = this.byProject.get(projectId);
    if (!ids) {
      ids = new Map();
      this.byProject.set(projectId, ids);
    }
    return ids;
  }

  /** Whether a project has any opt-out (screening is skipped when not). */
  hasAny(projectId: string): boolean {
    return (this.byProject.get(projectId)?.size ?? 0) > 0;
  }

  /** The opted-out person a distinct id belongs to, or null when its new events are kept. */
  personOf(projectId: string, id: string | null): string | null {
    return id === null ? null : (this.byProject.get(projectId)?.get(id) ?? null);
  }

  /**
   * Opts out the person an id names, with all their ids; ids given in `extraIds` (an SDK call's
   * anonymous id) join them. A person Pathwise has no data about yet is recorded under the id.
   */
  async optOut(
    projectId: string,
    id: string,
    source: OptOutSource,
    extraIds: readonly string[] = [],
  ): Promise<OptOut> {
    const subject = await resolveSubject(this.wh, projectId, id);
    const personId = subject?.personId ?? id;
    const ids = [...new Set([...(subject?.ids ?? [id]), id, ...extraIds])].sort();
    await this.record(projectId, personId, ids, source);
    return { projectId, personId, ids };
  }

  /** Adds ids to an opted-out person (a new device seen with their user id). */
  async record(projectId: string, personId: string, ids: readonly string[], source: OptOutSource) {
    const known = this.idsOf(projectId);
    const fresh = ids.filter((i) => !known.has(i));
    if (fresh.length === 0) return;
    await this.wh.run({
      sql: `INSERT INTO person_opt_outs
            SELECT $1, unnest($2::VARCHAR[]), $3, now()::TIMESTAMP, $4`,
      params: [projectId, fresh, personId, source],
    });
    for (const i of fresh) known.set(i, personId);
  }

  /** Withdraws a person's opt-out (their consent is back); returns the ids released. */
  async optIn(projectId: string, id: string): Promise<OptOut | null> {
    const rows = await this.wh.all({
      sql: `SELECT DISTINCT person_id FROM person_opt_outs WHERE project_id = $1
              AND (person_id = $2 OR distinct_id = $2)`,
      params: [projectId, id],
    });
    if (rows.length === 0) return null;
    const persons = rows.map((r) => String(r.person_id));
    const scope = 'project_id = $1 AND person_id IN (SELECT unnest($2::VARCHAR[]))';
    const released = await this.wh.all({
      sql: `SELECT DISTINCT distinct_id FROM person_opt_outs WHERE ${scope} ORDER BY 1`,
      params: [projectId, persons],
    });
    await this.wh.run({ sql: `DELETE FROM person_opt_outs WHERE ${scope}`, params: [projectId, persons] });
    const ids = released.map((r) => String(r.distinct_id));
    const known = this.idsOf(projectId);
    for (const i of ids) known.delete(i);
    return { projectId, personId: persons[0] as string, ids };
  }
}
