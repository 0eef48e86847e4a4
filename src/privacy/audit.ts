import { createHash } from 'node:crypto';
import { formatInstantUs, nowUs, PathwiseError } from '../core/index.js';
import type { Row, SqlValue, Warehouse } from '../store/index.js';
import { personHash } from './subject-delete.js';

/** Who did something: a principal, or someone unauthenticated (a failed login). */
export interface AuditActor {
  readonly kind: 'key' | 'user' | 'cli' | 'anonymous' | 'system';
  readonly id: string | null;
  readonly name: string;
}

/** One action to record. */
export interface AuditEntry {
  readonly projectId: string | null;
  readonly actor: AuditActor;
  /** `query`, `sql`, `person.view`, `key.create`, … or `METHOD /route` for routes without a name. */
  readonly action: string;
  /** What the action was about: a person id, a key id, a user name. */
  readonly target?: string | null;
  /** The spec, SQL or request that was run (secrets redacted); never deleted data. */
  readonly detail?: unknown;
  /** The HTTP status it ended with (CLI: 200 or the error's status). */
  readonly status?: number | null;
  /** Rows returned (SQL, exports, person views); null when the result is an aggregate. */
  readonly rowCount?: number | null;
  /** The client address. */
  readonly address?: string | null;
}

/** A stored audit row; `rowHash` chains it to the one before (tampering breaks the chain). */
export interface AuditRecord extends Required<Omit<AuditEntry, 'actor'>> {
  readonly seq: number;
  readonly at: string;
  readonly actorKind: string;
  readonly actorId: string | null;
  readonly actorName: string;
  readonly prevHash: string;
  readonly rowHash: string;
}

const GENESIS = '0'.repeat(64);
const SECRET_FIELD = /password|secret|token/i;

/** Replaces the values of password, secret and token fields, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : redactSecrets(v);
  return out;
}

function hashRow(prevHash: string, fields: readonly unknown[]): string {
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

function chainedFields(
  r: Omit<AuditRecord, 'prevHash' | 'rowHash' | 'detail'> & { detailText: string | null },
) {
  return [
    r.seq,
    r.at,
    r.projectId,
    r.actorKind,
    r.actorId,
    r.actorName,
    r.action,
    r.target,
    r.detailText,
    r.status,
    r.rowCount,
    r.address,
  ];
}

// Appends are serialized per store, so each row links to the one written just before it.
const tails = new WeakMap<Warehouse, Promise<unknown>>();

async function lastLink(wh: Warehouse): Promise<{ seq: number; hash: string }> {
  const rows = await wh.all({ sql: 'SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1' });
  const row = rows[0];
  return row ? { seq: Number(row.seq), hash: String(row.row_hash) } : { seq: 0, hash: GENESIS };
}

async function insert(wh: Warehouse, entry: AuditEntry): Promise<AuditRecord> {
  const last = await lastLink(wh);
  const atUs = nowUs();
  const detailText = entry.detail === undefined ? null : JSON.stringify(redactSecrets(entry.detail));
  const record = {
    seq: last.seq + 1,
    at: formatInstantUs(atUs),
    projectId: entry.projectId,
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    action: entry.action,
    target: entry.target ?? null,
    detailText,
    status: entry.status ?? null,
    rowCount: entry.rowCount ?? null,
    address: entry.address ?? null,
  };
  const rowHash = hashRow(last.hash, chainedFields(record));
  const params: SqlValue[] = [...chainedFields(record).slice(0, 12), last.hash, rowHash].map((v, i) =>
    i === 1 ? { timestampUs: atUs } : (v as SqlValue),
  );
  await wh.run({
    sql: `INSERT INTO audit_log (seq, logged_at, project_id, actor_kind, actor_id, actor_name, action, target, detail,
            status, row_count, address, prev_hash, row_hash)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::JSON, $10, $11, $12, $13, $14)`,
    params,
  });
  const { detailText: _, ...rest } = record;
  return {
    ...rest,
    detail: detailText === null ? null : JSON.parse(detailText),
    prevHash: last.hash,
    rowHash,
  };
}

/** Appends one row to the audit log. There is no update or delete: the log only grows. */
export function appendAudit(wh: Warehouse, entry: AuditEntry): Promise<AuditRecord> {
  const run = (tails.get(wh) ?? Promise.resolve()).catch(() => undefined).then(() => insert(wh, entry));
  tails.set(wh, run);
  return run;
}

function toRecord(row: Row): AuditRecord {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    seq: Number(row.seq),
    at: String(row.logged_at),
    projectId: text(row.project_id),
    actorKind: String(row.actor_kind),
    actorId: text(row.actor_id),
    actorName: String(row.actor_name),
    action: String(row.action),
    target: text(row.target),
    detail: row.detail === null || row.detail === undefined ? null : JSON.parse(String(row.detail)),
    status: num(row.status),
    rowCount: num(row.row_count),
    address: text(row.address),
    prevHash: String(row.prev_hash),
    rowHash: String(row.row_hash),
  };
}

/** Which audit rows to list; `projectId: null` lists every project (the local operator only). */
export interface AuditFilter {
  readonly projectId: string | null;
  readonly fromUs?: number;
  readonly toUs?: number;
  readonly actor?: string;
  readonly action?: string;
  readonly limit?: number;
}

/** Audit rows, newest first; `actor` matches the actor's name or id, `action` a prefix. */
export async function listAudit(wh: Warehouse, filter: AuditFilter): Promise<AuditRecord[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, value: SqlValue) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.projectId !== null) add('project_id = ?', filter.projectId);
  if (filter.fromUs !== undefined) add('logged_at >= ?', { timestampUs: filter.fromUs });
  if (filter.toUs !== undefined) add('logged_at < ?', { timestampUs: filter.toUs });
  if (filter.actor) add('? IN (actor_name, actor_id)', filter.actor);
  if (filter.action) add('starts_with(action, ?)', filter.action);
  const limit = Math.max(1, Math.min(Math.floor(filter.limit ?? 100), 10_000));
  const rows = await wh.all({
    sql: `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY seq DESC LIMIT ${limit}`,
    params,
  });
  return rows.map(toRecord);
}

/**
 * Recomputes the hash chain over the whole log: a row edited, removed or inserted out of band
 * (with a SQL tool on the file) breaks it. Returns the number of rows checked.
 */
export async function verifyAudit(wh: Warehouse): Promise<{ rows: number; lastSeq: number }> {
  let prev = { seq: 0, hash: GENESIS };
  let count = 0;
  for await (const batch of wh.stream({ sql: 'SELECT * FROM audit_log ORDER BY seq' })) {
    for (const row of batch) {
      const r = toRecord(row);
      const detailText = row.detail === null || row.detail === undefined ? null : String(row.detail);
      const broken = (reason: string) => new PathwiseError('PW_AUDIT_TAMPERED', { seq: r.seq, reason });
      if (r.seq !== prev.seq + 1) throw broken(`expected seq ${prev.seq + 1}`);
      if (r.prevHash !== prev.hash) throw broken('it does not link to the row before');
      if (hashRow(prev.hash, chainedFields({ ...r, detailText })) !== r.rowHash)
        throw broken('its content changed');
      prev = { seq: r.seq, hash: r.rowHash };
      count++;
    }
  }
  return { rows: count, lastSeq: prev.seq };
}

/**
 * How the audit log names a data subject: `subject:` and the SHA-256 of project and id (as
 * `person_deletions` does), so that an erased person's ids are not left in the append-only log.
 * Whoever knows the id can still find the requests about it.
 */
export function subjectTarget(projectId: string, id: string): string {
  return `subject:${personHash(projectId, id)}`;
}
