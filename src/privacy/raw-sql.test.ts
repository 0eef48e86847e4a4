import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { openWarehouse, type Warehouse } from '../store/index.js';
import { cliPrincipal, type Principal, runProjectSql, SQL_TABLES } from './index.js';

/*
 * Two projects in one file (hand-built rows):
 *
 * | project | message_id | event  | distinct_id | properties.secret |
 * | pa      | a1         | signup | u1          | alpha-1           |
 * | pa      | a2         | buy    | u1          | alpha-2           |
 * | pa      | a3         | signup | u2          | alpha-3           |
 * | pb      | b1         | signup | v1          | bravo-1           |
 * | pb      | b2         | buy    | v1          | bravo-2           |
 *
 * persons: pa has u1, u2; pb has v1. Nothing of pb may ever come back to a caller of pa.
 */
const EVENTS = [
  ['pa', 'a1', 'signup', 'u1', 'alpha-1'],
  ['pa', 'a2', 'buy', 'u1', 'alpha-2'],
  ['pa', 'a3', 'signup', 'u2', 'alpha-3'],
  ['pb', 'b1', 'signup', 'v1', 'bravo-1'],
  ['pb', 'b2', 'buy', 'v1', 'bravo-2'],
] as const;

async function seed(wh: Warehouse): Promise<void> {
  for (const [project, id, event, who, secret] of EVENTS) {
    await wh.run({
      sql: `INSERT INTO events (project_id, message_id, type, event, timestamp, received_at, distinct_id, person_id, properties)
            VALUES ($1, $2, 'track', $3, TIMESTAMP '2026-05-01 10:00:00', TIMESTAMP '2026-05-01 10:00:00', $4, $4, $5::JSON)`,
      params: [project, id, event, who, JSON.stringify({ secret })],
    });
  }
  for (const [project, who] of [
    ['pa', 'u1'],
    ['pa', 'u2'],
    ['pb', 'v1'],
  ] as const) {
    await wh.run({
      sql: `INSERT INTO persons (project_id, person_id, distinct_ids, is_identified, first_seen, last_seen, event_count)
            VALUES ($1, $2, [$2], true, TIMESTAMP '2026-05-01', TIMESTAMP '2026-05-01', 1)`,
      params: [project, who],
    });
  }
}

describe('raw SQL is confined to the caller’s project', () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'sql.duckdb');
  let wh: Warehouse;
  const pa: Principal = cliPrincipal('pa');
  const run = (sql: string, limits = {}) => runProjectSql(wh, pa, sql, limits);
  const refused = (sql: string) => expect(run(sql)).rejects.toMatchObject({ code: 'PW_SQL_NOT_ALLOWED' });

  beforeAll(async () => {
    wh = await openWarehouse({ path, threads: 1 });
    await seed(wh);
  });
  afterAll(async () => {
    await wh.close();
    tmp.cleanup();
  });

  it('counts only the project’s rows, whatever the filter says', async () => {
    expect((await run('SELECT count(*) AS n FROM events')).rows).toEqual([{ n: 3 }]);
    expect((await run("SELECT count(*) AS n FROM events WHERE project_id = 'pb'")).rows).toEqual([{ n: 0 }]);
    expect((await run("SELECT count(*) AS n FROM events WHERE project_id <> 'pa'")).rows).toEqual([{ n: 0 }]);
    expect((await run('SELECT count(*) AS n FROM persons')).rows).toEqual([{ n: 2 }]);
  });

  it('gives UNION, subqueries and joins on events nothing of the other project', async () => {
    const union = await run(
      "SELECT properties->>'secret' AS s FROM events UNION ALL SELECT person_id FROM persons ORDER BY s",
    );
    expect(union.rows.map((r) => r.s)).toEqual(['alpha-1', 'alpha-2', 'alpha-3', 'u1', 'u2']);
    const sub = await run(
      "SELECT (SELECT count(*) FROM events) AS n, (SELECT count(*) FROM events e WHERE e.distinct_id = 'v1') AS v",
    );
    expect(sub.rows).toEqual([{ n: 3, v: 0 }]);
    const inSub = await run(
      'SELECT count(*) AS n FROM persons WHERE person_id IN (SELECT distinct_id FROM events UNION SELECT $$v1$$)',
    );
    expect(inSub.rows).toEqual([{ n: 2 }]);
    const join = await run('SELECT count(*) AS n FROM events e JOIN persons p ON e.person_id = p.person_id');
    expect(join.rows).toEqual([{ n: 3 }]);
  });

  it('returns whole rows and * with every column of the project’s events only', async () => {
    const all = await run('SELECT * FROM events ORDER BY message_id');
    expect(all.rows.map((r) => r.message_id)).toEqual(['a1', 'a2', 'a3']);
    expect(all.columns.map((c) => c.name)).toContain('properties');
    const whole = await run('SELECT e FROM events e ORDER BY e.message_id LIMIT 1');
    expect(whole.rows[0]?.e).toMatchObject({ message_id: 'a1', project_id: 'pa' });
    // NATURAL joins on every shared column: pruned to none, this would be a 3 × 2 cross join.
    const natural = await run(
      'SELECT count(*) AS n FROM events NATURAL JOIN (SELECT person_id FROM persons)',
    );
    expect(natural.rows).toEqual([{ n: 3 }]);
  });

  it('lets the query’s own CTEs shadow table names', async () => {
    expect((await run('WITH events AS (SELECT 42 AS x) SELECT x FROM events')).rows).toEqual([{ x: 42 }]);
  });

  it('refuses table functions that read files, the database or settings', async () => {
    await refused(`SELECT * FROM read_parquet('${path}')`);
    await refused(`SELECT * FROM read_csv('${path}')`);
    await refused(`SELECT * FROM read_text('${path}')`);
    await refused(`SELECT * FROM read_blob('${path}')`);
    await refused("SELECT * FROM query_table('events')");
    await refused("SELECT * FROM query('SELECT * FROM main.events')");
    await refused('SELECT * FROM duckdb_settings()');
    await refused('SELECT * FROM pragma_database_list()');
    await refused(`SELECT * FROM '${path}'`);
    await refused('SELECT 1 WHERE EXISTS (SELECT * FROM read_json_auto($$/etc/passwd$$))');
  });

  it('refuses qualified names, other tables and every statement but one SELECT', async () => {
    await refused('SELECT * FROM main.events');
    await refused('SELECT * FROM sql.main.events');
    await refused('SELECT * FROM api_keys');
    await refused('SELECT * FROM users');
    await refused('SELECT * FROM audit_log');
    await refused(`ATTACH '${path}' AS other`);
    await refused(`COPY events TO '${join(tmp.dir, 'leak.csv')}'`);
    await refused('SET enable_external_access = true');
    await refused('PRAGMA database_list');
    await refused('CALL duckdb_settings()');
    await refused('INSTALL httpfs');
    await refused("CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')");
    await refused('DELETE FROM events');
    await refused('SELECT 1; SELECT 2');
    await refused("SELECT 1; ATTACH 'x' AS y");
    expect(existsSync(join(tmp.dir, 'leak.csv'))).toBe(false);
    expect(await wh.all({ sql: 'SELECT count(*) AS n FROM events' })).toEqual([{ n: 5 }]);
  });

  it('keeps the sandbox closed even to SQL that skips the guard', async () => {
    const sandboxed = (sql: string) =>
      wh.runSandboxed({
        projectId: 'pa',
        tables: SQL_TABLES.map((name) => ({ name, columns: 'all' as const })),
        sql,
        maxRows: 100,
        timeoutMs: 10_000,
      });
    expect((await sandboxed('SELECT count(*) AS n FROM events')).rows).toEqual([{ n: 3 }]);
    const databases = await sandboxed(
      'SELECT database_name, path FROM duckdb_databases() WHERE NOT internal',
    );
    expect(databases.rows).toEqual([{ database_name: 'memory', path: null }]);
    for (const hostile of [
      `SELECT * FROM read_csv('${path}')`,
      `SELECT * FROM read_blob('${path}')`,
      `ATTACH '${path}' AS other (READ_ONLY)`,
      `COPY events TO '${join(tmp.dir, 'leak2.csv')}'`,
      'SET enable_external_access = true',
      'SET lock_configuration = false',
      'INSTALL httpfs',
      'LOAD httpfs',
      "SELECT * FROM read_parquet('https://example.com/x.parquet')",
    ]) {
      await expect(sandboxed(hostile), hostile).rejects.toMatchObject({ code: 'PW_STORE_SQL_ERROR' });
    }
    expect(existsSync(join(tmp.dir, 'leak2.csv'))).toBe(false);
  });

  it('stops at the row limit and says so', async () => {
    const limited = await run('SELECT message_id FROM events ORDER BY 1', { maxRows: 2 });
    expect(limited.rows).toEqual([{ message_id: 'a1' }, { message_id: 'a2' }]);
    expect(limited.isTruncated).toBe(true);
    expect((await run('SELECT message_id FROM events', { maxRows: 3 })).isTruncated).toBe(false);
  });

  it('interrupts a query at its time limit', async () => {
    const started = Date.now();
    await expect(
      run(
        'WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1e12) SELECT count(*) FROM r',
        { timeoutMs: 300 },
      ),
    ).rejects.toMatchObject({
      code: 'PW_SQL_TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('needs the pii scope', async () => {
    const analyst: Principal = { ...pa, kind: 'user', role: 'analyst', scopes: ['view', 'query', 'export'] };
    await expect(runProjectSql(wh, analyst, 'SELECT 1')).rejects.toMatchObject({
      code: 'PW_AUTH_WRONG_SCOPE',
      details: { scope: 'pii' },
    });
  });
});
