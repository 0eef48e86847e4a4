import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanFile } from '../../test/privacy-helpers.js';
import { createProject, openWarehouse, type Warehouse } from '../store/index.js';
import { eraseSubjects } from './index.js';

const ROWS = 80_000;
const VICTIM = 'victim-5d1c9e7a';
const SECRET = 'secret-b3f04a61c2';

/**
 * Events written in SQL (no ingest needed): 2 × 80,000 rows of 5,000 other persons, so several
 * row groups (of at most 122,880 rows); three of the victim's events sit between the two bulk
 * inserts and three more at the very end (the last, partly filled row group, where appends go).
 */
async function fill(wh: Warehouse, projectId: string): Promise<void> {
  const others = (from: number) => `INSERT INTO events (project_id, message_id, type, event, "timestamp",
      received_at, inserted_at, distinct_id, person_id, properties)
    SELECT '${projectId}', 'm' || (i + ${from}), 'track', 'viewed', TIMESTAMP '2024-01-01' + to_seconds(i),
      TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', 'd' || (i % 5000), 'd' || (i % 5000),
      json_object('note', md5(i::VARCHAR))
    FROM range(${ROWS}) t(i)`;
  const victim = (from: number) => `INSERT INTO events (project_id, message_id, type, event, "timestamp",
      received_at, inserted_at, distinct_id, person_id, properties)
    SELECT '${projectId}', 'v' || (i + ${from}), 'track', 'viewed', TIMESTAMP '2024-02-01',
      TIMESTAMP '2024-02-01', TIMESTAMP '2024-02-01', '${VICTIM}', '${VICTIM}', json_object('note', '${SECRET}')
    FROM range(3) t(i)`;
  await wh.run({ sql: others(0) });
  await wh.run({ sql: victim(0) });
  await wh.run({ sql: others(ROWS) });
  await wh.run({ sql: victim(3) });
  await wh.run({
    sql: `INSERT INTO persons (project_id, person_id, distinct_ids, is_identified, first_seen, last_seen, event_count, traits)
          VALUES ($1, $2, [$2], true, TIMESTAMP '2024-02-01', TIMESTAMP '2024-02-01', 6, json_object('note', $3))`,
    params: [projectId, VICTIM, SECRET],
  });
}

describe('erasure on a multi-row-group table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathwise-erasure-'));
  const db = join(dir, 'erasure.duckdb');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves none of the bytes in the file, whichever row group held them', async () => {
    const wh = await openWarehouse({ path: db, threads: 1 });
    try {
      // Uncompressed storage makes the byte scan exhaustive: every stored value is in the file as is.
      await wh.run({ sql: "SET force_compression = 'uncompressed'" });
      const { project } = await createProject(wh, 'erasure');
      await fill(wh, project.projectId);
      await wh.checkpoint();
      const groups = await wh.all({
        sql: "SELECT count(DISTINCT row_group_id) AS n FROM pragma_storage_info('events')",
      });
      expect(Number(groups[0]?.n)).toBeGreaterThanOrEqual(2);
      // Three events in row group 2, three in row group 3, one persons row: 7 copies of the secret.
      expect(scanFile(db, [SECRET])[SECRET]).toBe(7);

      const result = await eraseSubjects(wh, project.projectId, [VICTIM], { requestedBy: 'test' });
      expect(result.deletions[0]?.rowCounts).toMatchObject({ events: 6, persons: 1 });
      expect(scanFile(db, [SECRET, VICTIM])).toEqual({ [SECRET]: 0, [VICTIM]: 0 });
      const left = await wh.all({ sql: 'SELECT count(*) AS n, count(DISTINCT message_id) AS m FROM events' });
      expect(left[0]).toEqual({ n: 2 * ROWS, m: 2 * ROWS });
    } finally {
      await wh.close();
    }
    expect(scanFile(db, [SECRET, VICTIM])).toEqual({ [SECRET]: 0, [VICTIM]: 0 });
  });
});
