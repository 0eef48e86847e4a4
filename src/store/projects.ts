import { hashKey, PathwiseError, randomToken } from '../core/index.js';
import { issueApiKey } from './api-keys.js';
import type { Warehouse } from './warehouse.js';

/** A project: events of one project are never visible from another. */
export interface Project {
  readonly projectId: string;
  readonly name: string;
  readonly timeZone: string;
  readonly createdAt: string;
  /** Sessionization settings (README, "Sessions"). */
  readonly sessions: SessionSettings;
}

/** How a project's events are cut into sessions. */
export interface SessionSettings {
  /** A gap longer than this ends a session (default 30 minutes). */
  readonly timeoutSec: number;
  /** Also end a session at midnight in the project's time zone. */
  readonly isSplitAtMidnight: boolean;
  /** Event names recorded per session as goals. */
  readonly goalEvents: readonly string[];
}

/** Write keys ingest (they ship inside web pages, like Segment's); read keys query. */
export type ApiKeyKind = 'write' | 'read';

// A read key reads like an analyst: saved dashboards and insights (README, "Access").
const SCOPES: Record<ApiKeyKind, readonly string[]> = { write: ['ingest'], read: ['view', 'query'] };

/** A key resolved to its project and scopes. */
export interface ResolvedKey {
  readonly keyId: string;
  readonly projectId: string;
  /** The key's name, else its prefix (`pw_r_AbCd`): how the audit log names it. */
  readonly name: string;
  readonly kind: ApiKeyKind;
  readonly scopes: readonly string[];
}

/** A new project and its keys: the keys are shown once and stored only as hashes. */
export interface NewProject {
  readonly project: Project;
  readonly writeKey: string;
  readonly readKey: string;
}

function toProject(row: Record<string, unknown>): Project {
  return {
    projectId: String(row.project_id),
    name: String(row.name),
    timeZone: String(row.time_zone),
    createdAt: String(row.created_at),
    sessions: {
      timeoutSec: Number(row.session_timeout_sec ?? 1800),
      isSplitAtMidnight: row.session_split_at_midnight === true,
      goalEvents: Array.isArray(row.session_goal_events) ? row.session_goal_events.map(String) : [],
    },
  };
}

/** Creates a write or read key for a project and returns it in the clear (the only time it is visible). */
export async function createApiKey(wh: Warehouse, projectId: string, kind: ApiKeyKind): Promise<string> {
  return (await issueApiKey(wh, { projectId, scopes: SCOPES[kind], name: `${kind} key` })).key;
}

/** Creates a project with one write key and one read key. */
export async function createProject(
  wh: Warehouse,
  name: string,
  options: { projectId?: string; timeZone?: string } = {},
): Promise<NewProject> {
  const existing = await wh.all({ sql: 'SELECT 1 FROM projects WHERE name = $1', params: [name] });
  if (existing.length > 0) throw new PathwiseError('PW_PROJECT_EXISTS', { name });
  const projectId = options.projectId ?? `p_${randomToken(10)}`;
  await wh.run({
    sql: 'INSERT INTO projects (project_id, name, time_zone, created_at) VALUES ($1, $2, $3, now()::TIMESTAMP)',
    params: [projectId, name, options.timeZone ?? 'UTC'],
  });
  const project = await findProject(wh, projectId);
  const writeKey = await createApiKey(wh, projectId, 'write');
  const readKey = await createApiKey(wh, projectId, 'read');
  return { project, writeKey, readKey };
}

/** Finds a project by id or by name, or throws PW_PROJECT_NOT_FOUND. */
export async function findProject(wh: Warehouse, idOrName: string): Promise<Project> {
  const rows = await wh.all({
    sql: 'SELECT * FROM projects WHERE project_id = $1 OR name = $1 ORDER BY (project_id = $1) DESC LIMIT 1',
    params: [idOrName],
  });
  const row = rows[0];
  if (!row) throw new PathwiseError('PW_PROJECT_NOT_FOUND', { project: idOrName });
  return toProject(row);
}

/** Every project, oldest first. */
export async function listProjects(wh: Warehouse): Promise<Project[]> {
  return (await wh.all({ sql: 'SELECT * FROM projects ORDER BY created_at, project_id' })).map(toProject);
}

/** Resolves a key in the clear to its project and scopes; null when unknown or revoked. */
export async function findKey(wh: Warehouse, key: string): Promise<ResolvedKey | null> {
  const rows = await wh.all({
    sql: `SELECT key_id, project_id, kind, scopes, coalesce(name, key_prefix) AS name
          FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
    params: [hashKey(key)],
  });
  const row = rows[0];
  if (!row) return null;
  return {
    keyId: String(row.key_id),
    projectId: String(row.project_id),
    name: String(row.name),
    kind: row.kind === 'read' ? 'read' : 'write',
    scopes: (row.scopes as string[]) ?? [],
  };
}

/**
 * Creates the project "default" on a fresh database. Returns its new keys, or null when it
 * already existed (its keys were shown when it was created).
 */
export async function ensureDefaultProject(wh: Warehouse): Promise<NewProject | null> {
  const rows = await wh.all({ sql: "SELECT 1 FROM projects WHERE project_id = 'default'" });
  if (rows.length > 0) return null;
  return createProject(wh, 'default', { projectId: 'default' });
}

/** Changes a project's session settings; history follows after `pathwise sessions rebuild`. */
export async function updateSessionSettings(
  wh: Warehouse,
  projectId: string,
  settings: Partial<SessionSettings>,
): Promise<Project> {
  const current = (await findProject(wh, projectId)).sessions;
  const next = { ...current, ...settings };
  if (!Number.isFinite(next.timeoutSec) || next.timeoutSec <= 0)
    throw new PathwiseError('PW_CONFIG_INVALID', { reason: 'the session timeout must be a positive number' });
  await wh.run({
    sql: `UPDATE projects SET session_timeout_sec = $2, session_split_at_midnight = $3,
            session_goal_events = $4 WHERE project_id = $1`,
    params: [projectId, Math.round(next.timeoutSec), next.isSplitAtMidnight, [...next.goalEvents]],
  });
  return findProject(wh, projectId);
}
