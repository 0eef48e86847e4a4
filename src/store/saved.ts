import { PathwiseError, randomToken } from '../core/index.js';
import type { Row, Warehouse } from './warehouse.js';

/**
 * A saved insight: a name and a query spec. The store keeps the spec as JSON and does not read
 * it; the server validates it with the query schemas before it gets here.
 */
export interface SavedInsight {
  readonly insightId: string;
  readonly name: string;
  readonly description: string | null;
  readonly kind: string;
  readonly spec: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A saved insight placed on a dashboard; `width` is 1 (half a row) or 2 (a full row). */
export interface DashboardTile {
  readonly insightId: string;
  readonly width: 1 | 2;
}

/** A dashboard: saved insights in order. */
export interface Dashboard {
  readonly dashboardId: string;
  readonly name: string;
  readonly description: string | null;
  readonly tiles: readonly DashboardTile[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The fields a caller sets on create or update (update: any subset). */
export interface InsightFields {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly spec: Record<string, unknown> & { readonly kind: string };
}

/** The fields of a dashboard a caller sets. */
export interface DashboardFields {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly tiles?: readonly DashboardTile[] | undefined;
}

function toInsight(r: Row): SavedInsight {
  return {
    insightId: String(r.insight_id),
    name: String(r.name),
    description: r.description === null ? null : String(r.description),
    kind: String(r.kind),
    spec: JSON.parse(String(r.spec)) as Record<string, unknown>,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function toDashboard(r: Row): Dashboard {
  return {
    dashboardId: String(r.dashboard_id),
    name: String(r.name),
    description: r.description === null ? null : String(r.description),
    tiles: JSON.parse(String(r.tiles)) as DashboardTile[],
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

/** A project's saved insights, most recently updated first. */
export async function listInsights(wh: Warehouse, projectId: string): Promise<SavedInsight[]> {
  const rows = await wh.all({
    sql: 'SELECT * FROM saved_insights WHERE project_id = $1 ORDER BY updated_at DESC, insight_id',
    params: [projectId],
  });
  return rows.map(toInsight);
}

/** One saved insight, or PW_INSIGHT_NOT_FOUND. */
export async function getInsight(wh: Warehouse, projectId: string, insightId: string): Promise<SavedInsight> {
  const rows = await wh.all({
    sql: 'SELECT * FROM saved_insights WHERE project_id = $1 AND insight_id = $2',
    params: [projectId, insightId],
  });
  if (!rows[0]) throw new PathwiseError('PW_INSIGHT_NOT_FOUND', { id: insightId });
  return toInsight(rows[0]);
}

/** $1…$6 of an insight's row: project, id, name, description, kind, spec. */
function insightParams(projectId: string, insightId: string, fields: InsightFields) {
  return [
    projectId,
    insightId,
    fields.name,
    fields.description || null,
    fields.spec.kind,
    JSON.stringify(fields.spec),
  ];
}

/** Saves a new insight and returns it. */
export async function createInsight(
  wh: Warehouse,
  projectId: string,
  fields: InsightFields,
): Promise<SavedInsight> {
  const insightId = `ins_${randomToken(12)}`;
  await wh.run({
    sql: `INSERT INTO saved_insights VALUES ($1, $2, $3, $4, $5, $6, now()::TIMESTAMP, now()::TIMESTAMP)`,
    params: insightParams(projectId, insightId, fields),
  });
  return getInsight(wh, projectId, insightId);
}

/** Replaces an insight's name, description and spec. */
export async function updateInsight(
  wh: Warehouse,
  projectId: string,
  insightId: string,
  fields: InsightFields,
): Promise<SavedInsight> {
  await getInsight(wh, projectId, insightId);
  await wh.run({
    sql: `UPDATE saved_insights SET name = $3, description = $4, kind = $5, spec = $6, updated_at = now()::TIMESTAMP
          WHERE project_id = $1 AND insight_id = $2`,
    params: insightParams(projectId, insightId, fields),
  });
  return getInsight(wh, projectId, insightId);
}

/** Deletes an insight and takes it off every dashboard of the project, in one transaction. */
export async function deleteInsight(wh: Warehouse, projectId: string, insightId: string): Promise<void> {
  await getInsight(wh, projectId, insightId);
  const boards = await listDashboards(wh, projectId);
  await wh.transaction(async (tx) => {
    await tx.run({
      sql: 'DELETE FROM saved_insights WHERE project_id = $1 AND insight_id = $2',
      params: [projectId, insightId],
    });
    for (const board of boards) {
      const tiles = board.tiles.filter((t) => t.insightId !== insightId);
      if (tiles.length === board.tiles.length) continue;
      await tx.run({
        sql: `UPDATE dashboards SET tiles = $3, updated_at = now()::TIMESTAMP WHERE project_id = $1 AND dashboard_id = $2`,
        params: [projectId, board.dashboardId, JSON.stringify(tiles)],
      });
    }
  });
}

/** A project's dashboards, most recently updated first. */
export async function listDashboards(wh: Warehouse, projectId: string): Promise<Dashboard[]> {
  const rows = await wh.all({
    sql: 'SELECT * FROM dashboards WHERE project_id = $1 ORDER BY updated_at DESC, dashboard_id',
    params: [projectId],
  });
  return rows.map(toDashboard);
}

/** One dashboard, or PW_DASHBOARD_NOT_FOUND. */
export async function getDashboard(
  wh: Warehouse,
  projectId: string,
  dashboardId: string,
): Promise<Dashboard> {
  const rows = await wh.all({
    sql: 'SELECT * FROM dashboards WHERE project_id = $1 AND dashboard_id = $2',
    params: [projectId, dashboardId],
  });
  if (!rows[0]) throw new PathwiseError('PW_DASHBOARD_NOT_FOUND', { id: dashboardId });
  return toDashboard(rows[0]);
}

/** Every tile must name a saved insight of the same project. */
async function checkTiles(wh: Warehouse, projectId: string, tiles: readonly DashboardTile[]): Promise<void> {
  if (tiles.length === 0) return;
  const ids = [...new Set(tiles.map((t) => t.insightId))];
  const rows = await wh.all({
    sql: 'SELECT insight_id FROM saved_insights WHERE project_id = $1 AND list_contains($2, insight_id)',
    params: [projectId, ids],
  });
  const known = new Set(rows.map((r) => String(r.insight_id)));
  const missing = ids.find((id) => !known.has(id));
  if (missing) throw new PathwiseError('PW_DASHBOARD_BAD_TILE', { id: missing });
}

/** Creates a dashboard and returns it. */
export async function createDashboard(
  wh: Warehouse,
  projectId: string,
  fields: DashboardFields,
): Promise<Dashboard> {
  const tiles = fields.tiles ?? [];
  await checkTiles(wh, projectId, tiles);
  const dashboardId = `dash_${randomToken(12)}`;
  await wh.run({
    sql: 'INSERT INTO dashboards VALUES ($1, $2, $3, $4, $5, now()::TIMESTAMP, now()::TIMESTAMP)',
    params: [projectId, dashboardId, fields.name, fields.description || null, JSON.stringify(tiles)],
  });
  return getDashboard(wh, projectId, dashboardId);
}

/** Replaces a dashboard's name, description and (when given) tiles. */
export async function updateDashboard(
  wh: Warehouse,
  projectId: string,
  dashboardId: string,
  fields: DashboardFields,
): Promise<Dashboard> {
  const current = await getDashboard(wh, projectId, dashboardId);
  const tiles = fields.tiles ?? current.tiles;
  await checkTiles(wh, projectId, tiles);
  await wh.run({
    sql: `UPDATE dashboards SET name = $3, description = $4, tiles = $5, updated_at = now()::TIMESTAMP
          WHERE project_id = $1 AND dashboard_id = $2`,
    params: [projectId, dashboardId, fields.name, fields.description || null, JSON.stringify(tiles)],
  });
  return getDashboard(wh, projectId, dashboardId);
}

/** Deletes a dashboard (its insights stay saved). */
export async function deleteDashboard(wh: Warehouse, projectId: string, dashboardId: string): Promise<void> {
  await getDashboard(wh, projectId, dashboardId);
  await wh.run({
    sql: 'DELETE FROM dashboards WHERE project_id = $1 AND dashboard_id = $2',
    params: [projectId, dashboardId],
  });
}

/** A saved insight that sits on at least one dashboard, with its project. */
export interface DashboardInsight extends SavedInsight {
  readonly projectId: string;
}

/**
 * The insights on any dashboard of any project (each once), those of the most recently updated
 * dashboards first, at most `limit`: what the server keeps warm (README, "Dashboard").
 */
export async function listDashboardInsights(wh: Warehouse, limit: number): Promise<DashboardInsight[]> {
  const boards = await wh.all({
    sql: 'SELECT project_id, tiles FROM dashboards ORDER BY updated_at DESC, dashboard_id',
  });
  const wanted = new Map<string, { projectId: string; insightId: string }>();
  for (const b of boards) {
    for (const tile of JSON.parse(String(b.tiles)) as DashboardTile[]) {
      const key = `${String(b.project_id)}\n${tile.insightId}`;
      if (wanted.size < limit)
        wanted.set(key, { projectId: String(b.project_id), insightId: tile.insightId });
    }
  }
  if (wanted.size === 0) return [];
  const rows = await wh.all({
    sql: `SELECT * FROM saved_insights WHERE list_contains($1, project_id || chr(10) || insight_id)`,
    params: [[...wanted.keys()]],
  });
  const byKey = new Map(rows.map((r) => [`${String(r.project_id)}\n${String(r.insight_id)}`, r]));
  return [...wanted.keys()].flatMap((key) => {
    const r = byKey.get(key);
    return r ? [{ projectId: String(r.project_id), ...toInsight(r) }] : [];
  });
}
