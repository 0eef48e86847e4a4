import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.js';
import { tempDir } from '../../test/helpers.js';
import { EVENT_COLUMNS, type EventRow } from '../core/index.js';
import { MIGRATIONS } from './duckdb/migrations.js';
import {
  createProject,
  findKey,
  openWarehouse,
  quoteIdent,
  quoteLiteral,
  runReadOnlySql,
  type Warehouse,
} from './index.js';

describe('the DuckDB store', () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 's.duckdb');
  let wh: Warehouse;

  beforeAll(async () => {
    wh = await openWarehouse({ path });
  });
  afterAll(async () => {
    await wh.close();
    tmp.cleanup();
  });

  it('creates the schema once and records the migration', async () => {
    const rows = await wh.all({ sql: 'SELECT version FROM schema_migrations' });
    const versions = rows.map((r) => Number(r.version)).sort((a, b) => a - b);
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    const tables = await wh.all({ sql: 'SELECT table_name FROM information_schema.tables ORDER BY 1' });
    expect(tables.map((t) => t.table_name)).toEqual([
      'api_keys',
      'audit_log',
      'auth_sessions',
      'cookieless_salts',
      'dashboards',
      'events',
      'experiments',
      'models',
      'opt_out_drops',
      'person_deletions',
      'person_distinct_ids',
      'person_opt_outs',
      'persons',
      'project_members',
      'projects',
      'rejected_events',
      'retention_runs',
      'saved_insights',
      'schema_migrations',
      'server_secrets',
      'sessions',
      'users',
    ]);
  });

  it('quotes hostile identifiers so that they name a column and nothing else', async () => {
    const hostile = ['a"; DROP TABLE events; --', 'select', 'ü "x" \'y\'', ' '];
    await wh.run({
      sql: `CREATE TABLE hostile (${hostile.map((h) => `${quoteIdent(h)} INTEGER`).join(', ')})`,
    });
    const cols = await wh.all({
      sql: "SELECT column_name FROM information_schema.columns WHERE table_name = 'hostile' ORDER BY ordinal_position",
    });
    expect(cols.map((c) => c.column_name)).toEqual(hostile);
    expect(await wh.all({ sql: `SELECT ${quoteLiteral("it's'; DROP TABLE events; --")} AS v` })).toEqual([
      { v: "it's'; DROP TABLE events; --" },
    ]);
    expect((await wh.all({ sql: 'SELECT count(*) AS n FROM events' }))[0]?.n).toBe(0);
    expect(() => quoteIdent('a\u0000b')).toThrow();
  });

  it('binds hostile values as parameters', async () => {
    const value = "x' OR '1'='1";
    expect(
      await wh.all({ sql: 'SELECT count(*) AS n FROM projects WHERE name = $1', params: [value] }),
    ).toEqual([{ n: 0 }]);
  });

  it('stores keys hashed and resolves them to their project and scopes', async () => {
    const created = await createProject(wh, 'shop');
    const stored = await wh.all({ sql: 'SELECT key_hash, key_prefix FROM api_keys' });
    expect(stored.some((k) => String(k.key_hash).includes(created.writeKey))).toBe(false);
    expect(await findKey(wh, created.writeKey)).toMatchObject({
      projectId: created.project.projectId,
      scopes: ['ingest'],
    });
    expect(await findKey(wh, created.readKey)).toMatchObject({ scopes: ['view', 'query'] });
    expect(await findKey(wh, 'pw_w_nope')).toBeNull();
    await expect(createProject(wh, 'shop')).rejects.toMatchObject({ code: 'PW_PROJECT_EXISTS' });
  });

  it('gives a second process a clear error instead of opening the file read-write', async () => {
    await wh.checkpoint();
    const res = await runCli(['project', 'create', 'other', '--db', path]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/PW_STORE_LOCKED/);
    const sql = await runCli(['sql', 'SELECT 1', '--db', path]);
    expect(sql.code).toBe(1);
    expect(sql.stderr).toMatch(/PW_STORE_LOCKED/);
  });
});

describe('read-only SQL', () => {
  it('refuses writes on a store opened read-only', async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'r.duckdb');
    try {
      await (await openWarehouse({ path })).close();
      const ro = await openWarehouse({ path, isReadOnly: true });
      try {
        expect(await runReadOnlySql(ro, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
        await expect(runReadOnlySql(ro, 'DELETE FROM events')).rejects.toMatchObject({
          code: 'PW_STORE_SQL_ERROR',
        });
        await expect(runReadOnlySql(ro, 'CREATE TABLE x (a INT)')).rejects.toMatchObject({
          code: 'PW_STORE_SQL_ERROR',
        });
      } finally {
        await ro.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});

describe('appendBatch', () => {
  // 2,500 rows span two 2,048-row chunks of the appender; 5 rows take the one-statement INSERT
  // of small groups (SMALL_INSERT_ROWS).
  it.each([
    ['across data chunks', 2500],
    ['in a small group', 5],
  ])('stores every column of events exactly, nulls and timestamps included, %s', async (_, count) => {
    const tmp = tempDir();
    const wh = await openWarehouse({ path: join(tmp.dir, 'a.duckdb') });
    try {
      // Odd rows leave every nullable column null.
      const rows: EventRow[] = Array.from({ length: count }, (_, i) => {
        const row: Record<string, unknown> = {};
        for (const c of EVENT_COLUMNS) {
          if (c.kind === 'timestamp') row[c.field] = 1_700_000_000_000_123 + i * 1_000_001;
          else if (c.kind === 'json') row[c.field] = JSON.stringify({ i, s: 'é😀\u0001"' });
          else row[c.field] = `${c.name}-${i}-é😀${'x'.repeat(i % 20)}`;
        }
        if (i % 2 === 1) {
          for (const f of ['sentAtUs', 'userId', 'url', 'traits', 'context', 'personId'] as const)
            row[f] = null;
        }
        row.type = 'track';
        return row as unknown as EventRow;
      });
      await wh.appendBatch(rows, []);
      const stored = await wh.all({
        sql: `SELECT ${EVENT_COLUMNS.map((c) => (c.kind === 'timestamp' ? `epoch_us(${c.name}) AS ${c.name}` : `${c.name}::VARCHAR AS ${c.name}`)).join(', ')} FROM events ORDER BY timestamp`,
      });
      expect(stored).toHaveLength(rows.length);
      stored.forEach((s, i) => {
        const row = rows[i] as EventRow;
        for (const c of EVENT_COLUMNS) expect(s[c.name]).toEqual(row[c.field]);
      });
    } finally {
      await wh.close();
      tmp.cleanup();
    }
  });
});
