import { PathwiseError } from '../core/index.js';
import type { Row, Warehouse } from './warehouse.js';

/** A stored model without its weights (README, "Store": `models`). */
export interface ModelRecord {
  readonly projectId: string;
  readonly name: string;
  readonly version: number;
  readonly kind: string;
  readonly spec: unknown;
  readonly trainFrom: string | null;
  readonly trainTo: string | null;
  readonly testFrom: string | null;
  readonly testTo: string | null;
  readonly metrics: unknown;
  readonly params: unknown;
  readonly createdAt: string;
}

/** A model to store: ranges as µs instants, JSON parts as values, weights as bytes. */
export interface NewModel {
  readonly projectId: string;
  readonly name: string;
  readonly kind: string;
  readonly spec: unknown;
  readonly trainFromUs: number | null;
  readonly trainToUs: number | null;
  readonly testFromUs: number | null;
  readonly testToUs: number | null;
  readonly metrics: unknown;
  readonly params: unknown;
  readonly weights: Uint8Array;
}

const COLUMNS = `project_id, name, version, kind, CAST(spec AS VARCHAR) AS spec, train_from, train_to,
  test_from, test_to, CAST(metrics AS VARCHAR) AS metrics, CAST(params AS VARCHAR) AS params, created_at`;

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : null;
}

function toRecord(row: Row): ModelRecord {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    projectId: String(row.project_id),
    name: String(row.name),
    version: Number(row.version),
    kind: String(row.kind),
    spec: parseJson(row.spec),
    trainFrom: text(row.train_from),
    trainTo: text(row.train_to),
    testFrom: text(row.test_from),
    testTo: text(row.test_to),
    metrics: parseJson(row.metrics),
    params: parseJson(row.params),
    createdAt: String(row.created_at),
  };
}

const instant = (us: number | null) => (us === null ? null : { timestampUs: us });

/** Stores a model as the next version of its name (1 for a new name) and returns that version. */
export async function saveModel(wh: Warehouse, model: NewModel): Promise<number> {
  return wh.transaction(async (tx) => {
    const rows = await tx.all({
      sql: 'SELECT coalesce(max(version), 0) + 1 AS v FROM models WHERE project_id = $1 AND name = $2',
      params: [model.projectId, model.name],
    });
    const version = Number(rows[0]?.v ?? 1);
    // The store binds no bytes: the weights travel as base64 text and are decoded by DuckDB.
    await tx.run({
      sql: `INSERT INTO models VALUES ($1, $2, $3, $4, CAST($5 AS JSON), $6, $7, $8, $9, CAST($10 AS JSON),
              CAST($11 AS JSON), from_base64($12), now()::TIMESTAMP)`,
      params: [
        model.projectId,
        model.name,
        version,
        model.kind,
        JSON.stringify(model.spec),
        instant(model.trainFromUs),
        instant(model.trainToUs),
        instant(model.testFromUs),
        instant(model.testToUs),
        JSON.stringify(model.metrics),
        JSON.stringify(model.params),
        Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength).toString(
          'base64',
        ),
      ],
    });
    return version;
  });
}

/** The latest version of every model of a project, with how many versions each has. */
export async function listModels(
  wh: Warehouse,
  projectId: string,
): Promise<(ModelRecord & { readonly versions: number })[]> {
  const rows = await wh.all({
    sql: `SELECT ${COLUMNS}, count(*) OVER (PARTITION BY name) AS versions FROM models WHERE project_id = $1
          QUALIFY version = max(version) OVER (PARTITION BY name) ORDER BY name`,
    params: [projectId],
  });
  return rows.map((r) => ({ ...toRecord(r), versions: Number(r.versions) }));
}

/** A model's version (the latest when none is given) with its weights; PW_MODEL_NOT_FOUND if there is none. */
export async function findModel(
  wh: Warehouse,
  projectId: string,
  name: string,
  version?: number,
): Promise<ModelRecord & { readonly weights: Uint8Array }> {
  const rows = await wh.all({
    sql: `SELECT ${COLUMNS}, to_base64(weights) AS weights FROM models
          WHERE project_id = $1 AND name = $2 AND ($3::INTEGER IS NULL OR version = $3::INTEGER)
          ORDER BY version DESC LIMIT 1`,
    params: [projectId, name, version ?? null],
  });
  const row = rows[0];
  if (!row)
    throw new PathwiseError('PW_MODEL_NOT_FOUND', { name, version: version ? ` version ${version}` : '' });
  const bytes = Buffer.from(String(row.weights ?? ''), 'base64');
  return { ...toRecord(row), weights: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
