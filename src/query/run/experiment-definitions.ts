import { PathwiseError } from '../../core/index.js';
import { findProject, type Row, type Warehouse } from '../../store/index.js';

/** An experiment definition as stored (migration 3, table `experiments`). */
export interface StoredExperiment {
  readonly key: string;
  readonly definition: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function toStored(r: Row): StoredExperiment {
  const raw = r.definition;
  return {
    key: String(r.experiment_key),
    definition: typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

const COLUMNS = 'experiment_key, definition, created_at, updated_at';

/** The stored definition of an experiment, or null. */
export async function findExperimentDefinition(
  wh: Warehouse,
  projectId: string,
  key: string,
): Promise<StoredExperiment | null> {
  const rows = await wh.all({
    sql: `SELECT ${COLUMNS} FROM experiments WHERE project_id = $1 AND experiment_key = $2`,
    params: [projectId, key],
  });
  return rows[0] ? toStored(rows[0]) : null;
}

/** Every experiment of a project, by key. */
export async function listExperimentDefinitions(
  wh: Warehouse,
  projectId: string,
): Promise<StoredExperiment[]> {
  const rows = await wh.all({
    sql: `SELECT ${COLUMNS} FROM experiments WHERE project_id = $1 ORDER BY experiment_key`,
    params: [projectId],
  });
  return rows.map(toStored);
}

/**
 * Stores a definition under its key. An existing key is PW_EXPERIMENT_EXISTS unless isReplacing,
 * which keeps created_at.
 */
export async function saveExperimentDefinition(
  wh: Warehouse,
  projectId: string,
  key: string,
  definition: unknown,
  options: { readonly nowUs: number; readonly isReplacing?: boolean },
): Promise<StoredExperiment> {
  const project = await findProject(wh, projectId);
  const now = { timestampUs: options.nowUs };
  const json = JSON.stringify(definition);
  await wh.transaction(async (tx) => {
    const existing = await tx.all({
      sql: 'SELECT created_at FROM experiments WHERE project_id = $1 AND experiment_key = $2',
      params: [project.projectId, key],
    });
    if (existing.length > 0 && !options.isReplacing) throw new PathwiseError('PW_EXPERIMENT_EXISTS', { key });
    if (existing.length > 0) {
      await tx.run({
        sql: 'UPDATE experiments SET definition = $3, updated_at = $4 WHERE project_id = $1 AND experiment_key = $2',
        params: [project.projectId, key, json, now],
      });
    } else {
      await tx.run({
        sql: 'INSERT INTO experiments VALUES ($1, $2, $3, $4, $4)',
        params: [project.projectId, key, json, now],
      });
    }
  });
  const stored = await findExperimentDefinition(wh, project.projectId, key);
  if (!stored) throw new PathwiseError('PW_EXPERIMENT_NOT_FOUND', { key });
  return stored;
}
