import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { openWarehouse } from './index.js';

describe('migrations', () => {
  it('applies a missing version even when a higher one is recorded (branches land in any order)', async () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'm.duckdb');
    try {
      const first = await openWarehouse({ path });
      // As if version 5 had not landed yet while a later branch's version (999) had.
      await first.run({ sql: 'DROP TABLE saved_insights' });
      await first.run({ sql: 'DROP TABLE dashboards' });
      await first.run({ sql: 'DELETE FROM schema_migrations WHERE version = 5' });
      await first.run({
        sql: "INSERT INTO schema_migrations VALUES (999, 'a later branch', now()::TIMESTAMP)",
      });
      await first.close();
      const second = await openWarehouse({ path });
      const versions = await second.all({ sql: 'SELECT version FROM schema_migrations ORDER BY version' });
      expect(versions.map((r) => r.version)).toContain(5);
      const tables = await second.all({
        sql: "SELECT table_name FROM information_schema.tables WHERE table_name IN ('saved_insights', 'dashboards') ORDER BY 1",
      });
      expect(tables.map((t) => t.table_name)).toEqual(['dashboards', 'saved_insights']);
      await second.close();
    } finally {
      tmp.cleanup();
    }
  });
});
