import { hashKey, PathwiseError, randomToken } from '../core/index.js';
import type { Row, Warehouse } from './warehouse.js';

/** What a new key may do; `createdBy` names who issued it (for the key list and the audit log). */
export interface NewKeySpec {
  readonly projectId: string;
  readonly scopes: readonly string[];
  readonly name?: string;
  readonly createdBy?: string;
}

/** A key just issued: `key` is the secret, returned this once and stored only as its SHA-256. */
export interface IssuedKey {
  readonly keyId: string;
  readonly key: string;
  readonly prefix: string;
  readonly kind: 'write' | 'read';
  readonly scopes: readonly string[];
}

/** A stored key as listed (never the secret). */
export interface ApiKeyInfo {
  readonly keyId: string;
  readonly projectId: string;
  readonly name: string | null;
  readonly kind: string;
  readonly scopes: readonly string[];
  readonly prefix: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/**
 * Stores a new key. An ingest-only key is a write key (`pw_w_`, it may ship inside web pages);
 * any other set of scopes makes a read key (`pw_r_`). Scopes are checked by the caller (privacy).
 */
export async function issueApiKey(wh: Warehouse, spec: NewKeySpec): Promise<IssuedKey> {
  const kind = spec.scopes.length === 1 && spec.scopes[0] === 'ingest' ? 'write' : 'read';
  const key = `pw_${kind === 'write' ? 'w' : 'r'}_${randomToken(32)}`;
  const keyId = `k_${randomToken(12)}`;
  const prefix = key.slice(0, 9);
  await wh.run({
    sql: `INSERT INTO api_keys (key_id, project_id, kind, scopes, key_hash, key_prefix, created_at, name, created_by)
          VALUES ($1, $2, $3, $4, $5, $6, now()::TIMESTAMP, $7, $8)`,
    params: [
      keyId,
      spec.projectId,
      kind,
      [...spec.scopes],
      hashKey(key),
      prefix,
      spec.name ?? null,
      spec.createdBy ?? null,
    ],
  });
  return { keyId, key, prefix, kind, scopes: [...spec.scopes] };
}

function toKeyInfo(row: Row): ApiKeyInfo {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    keyId: String(row.key_id),
    projectId: String(row.project_id),
    name: text(row.name),
    kind: String(row.kind),
    scopes: Array.isArray(row.scopes) ? row.scopes.map(String) : [],
    prefix: String(row.key_prefix),
    createdAt: String(row.created_at),
    createdBy: text(row.created_by),
    lastUsedAt: text(row.last_used_at),
    revokedAt: text(row.revoked_at),
  };
}

/** A project's keys, newest first, revoked ones included (with `revokedAt`). */
export async function listApiKeys(wh: Warehouse, projectId: string): Promise<ApiKeyInfo[]> {
  const rows = await wh.all({
    sql: 'SELECT * FROM api_keys WHERE project_id = $1 ORDER BY created_at DESC, key_id',
    params: [projectId],
  });
  return rows.map(toKeyInfo);
}

/** Revokes a key of a project (idempotent); PW_KEY_NOT_FOUND when the project has no such key. */
export async function revokeApiKey(wh: Warehouse, projectId: string, keyId: string): Promise<ApiKeyInfo> {
  const found = await wh.all({
    sql: 'SELECT key_id FROM api_keys WHERE project_id = $1 AND key_id = $2',
    params: [projectId, keyId],
  });
  if (found.length === 0) throw new PathwiseError('PW_KEY_NOT_FOUND', { keyId });
  await wh.run({
    sql: `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()::TIMESTAMP)
          WHERE project_id = $1 AND key_id = $2`,
    params: [projectId, keyId],
  });
  const rows = await wh.all({ sql: 'SELECT * FROM api_keys WHERE key_id = $1', params: [keyId] });
  return toKeyInfo(rows[0] ?? {});
}

/**
 * Records when keys were last used, in one statement for many keys: callers batch uses in
 * memory (see privacy's KeyUsage) instead of writing once per request.
 */
export async function recordKeyUse(wh: Warehouse, lastUsedMs: ReadonlyMap<string, number>): Promise<void> {
  if (lastUsedMs.size === 0) return;
  const ids = [...lastUsedMs.keys()];
  const micros = ids.map((id) => String(Math.round((lastUsedMs.get(id) ?? 0) * 1000)));
  await wh.run({
    sql: `UPDATE api_keys AS a SET last_used_at = greatest(coalesce(a.last_used_at, u.t), u.t)
          FROM (SELECT unnest($1::VARCHAR[]) AS k, make_timestamp(unnest($2::VARCHAR[])::BIGINT) AS t) AS u
          WHERE a.key_id = u.k`,
    params: [ids, micros],
  });
}
