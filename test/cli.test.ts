import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { tempDir } from './helpers.js';

/*
 * The CLI as a user runs it, in a child process, against a DuckDB file in a temp folder.
 * Fixture (events.jsonl): 3 valid track events for u1/u2 on 2026-05-01 and 2026-05-02,
 * one line without userId/anonymousId, one line that is not JSON.
 */
const LINES = [
  '{"type":"track","event":"A","userId":"u1","messageId":"x1","timestamp":"2026-05-01T10:00:00Z"}',
  '{"type":"track","event":"B","userId":"u1","messageId":"x2","timestamp":"2026-05-01T11:00:00Z"}',
  '{"type":"track","event":"A","userId":"u2","messageId":"x3","timestamp":"2026-05-02T09:00:00Z"}',
  '{"type":"track","event":"A","messageId":"x4"}',
  'oops',
];

describe('the pathwise CLI', () => {
  it('creates projects, imports, queries, lists rejected events and exports', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'cli.duckdb');
    try {
      const created = await runCli(['project', 'create', 'shop', '--db', db]);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/write key: pw_w_[0-9A-Za-z]{32}/);

      const file = join(tmp.dir, 'events.jsonl');
      writeFileSync(file, LINES.join('\n'));
      const imported = await runCli(['import', file, '--db', db, '--project', 'shop']);
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({
        records: 5,
        imported: 3,
        duplicates: 0,
        rejected: 2,
        rejectedByReason: { missing_identity: 1, malformed_json: 1 },
      });

      // Raw SQL needs a key (or user) holding query and pii; it sees only that key's project.
      const issued = await runCli([
        'key',
        'create',
        '--project',
        'shop',
        '--scopes',
        'query,pii',
        '--db',
        db,
      ]);
      expect(issued.code).toBe(0);
      const sqlKey = /pw_r_[0-9A-Za-z]{32}/.exec(issued.stdout)?.[0] ?? '';
      const sql = await runCli([
        'sql',
        'SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY event',
        '--key',
        sqlKey,
        '--db',
        db,
        '--format',
        'json',
      ]);
      expect(sql.code).toBe(0);
      expect(
        sql.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toEqual([
        { event: 'A', n: 2 },
        { event: 'B', n: 1 },
      ]);

      const write = await runCli(['sql', 'DELETE FROM events', '--key', sqlKey, '--db', db]);
      expect(write.code).toBe(1);
      expect(write.stderr).toMatch(/PW_SQL_NOT_ALLOWED/);

      const rejected = await runCli(['rejected', '--db', db, '--format', 'json']);
      expect(rejected.code).toBe(0);
      expect(rejected.stderr).toMatch(/"missing_identity":1/);
      expect(rejected.stdout).toMatch(/oops/);

      const out = join(tmp.dir, 'may1.jsonl');
      const exported = await runCli([
        'export',
        '--format',
        'jsonl',
        '--out',
        out,
        '--from',
        '2026-05-01',
        '--to',
        '2026-05-02',
        '--db',
        db,
        '--project',
        'shop',
      ]);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toMatch(/exported 2 events/);
      expect(
        readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).messageId),
      ).toEqual(['x1', 'x2']);

      const missing = await runCli(['import', join(tmp.dir, 'nope.jsonl'), '--db', db]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/PW_IMPORT_FILE_NOT_FOUND/);
    } finally {
      tmp.cleanup();
    }
    // Eight CLI processes: on a loaded 2-core machine each start takes several seconds.
  }, 150_000);
});
