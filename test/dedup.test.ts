import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/server/index.js';
import { createProject } from '../src/store/index.js';
import { post, startTestServer, tempDir } from './helpers.js';

/*
 * | request | messageIds          | expected accepted | expected duplicates |
 * |---------|---------------------|-------------------|---------------------|
 * | 1       | d-0 … d-9           | 10                | 0                   |
 * | 2       | d-5 … d-14          | 5                 | 5                   |
 * | 3       | d-0, d-0, d-99      | 1                 | 2 (one in-batch)    |
 * | restart | d-0 … d-14          | 0                 | 15                  |
 */
describe('dedup by messageId', () => {
  it('drops repeated messageIds within a batch, across requests and across a restart', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'dedup.duckdb');
    const batch = (ids: string[]) => ({
      batch: ids.map((messageId) => ({ type: 'track', event: 'e', userId: 'u', messageId })),
    });
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => `d-${a + i}`);
    try {
      const first = await startTestServer(db);
      const key = first.writeKey;
      const r1 = await post(`${first.url}/v1/batch`, batch(range(0, 10)), { writeKey: key });
      expect(r1.body).toMatchObject({ accepted: 10, duplicates: 0 });
      const r2 = await post(`${first.url}/v1/batch`, batch(range(5, 15)), { writeKey: key });
      expect(r2.body).toMatchObject({ accepted: 5, duplicates: 5 });
      const r3 = await post(`${first.url}/v1/batch`, batch(['d-0', 'd-0', 'd-99']), { writeKey: key });
      expect(r3.body).toMatchObject({ accepted: 1, duplicates: 2 });
      await first.close();

      const second = await startServer({ db, port: 0, host: '127.0.0.1' });
      try {
        const r4 = await post(`${second.url}/v1/batch`, batch(range(0, 15)), { writeKey: key });
        expect(r4.body).toMatchObject({ accepted: 0, duplicates: 15 });
        const rows = await second.wh.all({
          sql: 'SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM events',
        });
        expect(rows[0]).toEqual({ n: 16, d: 16 });
        const metrics = await (await fetch(`${second.url}/metrics`)).text();
        expect(metrics).toMatch(/pathwise_events_deduplicated_total 15/);
      } finally {
        await second.close();
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('dedups concurrent requests that carry the same messageIds', async () => {
    const tmp = tempDir();
    const server = await startTestServer(join(tmp.dir, 'c.duckdb'));
    try {
      const body = {
        batch: Array.from({ length: 50 }, (_, i) => ({
          type: 'track',
          event: 'e',
          userId: 'u',
          messageId: `c-${i}`,
        })),
      };
      const results = await Promise.all(
        Array.from({ length: 8 }, () => post(`${server.url}/v1/batch`, body, { writeKey: server.writeKey })),
      );
      const accepted = results.reduce((s, r) => s + Number(r.body.accepted), 0);
      const duplicates = results.reduce((s, r) => s + Number(r.body.duplicates), 0);
      expect(accepted).toBe(50);
      expect(duplicates).toBe(350);
      const rows = await server.wh.all({ sql: 'SELECT count(*) AS n FROM events' });
      expect(rows[0]?.n).toBe(50);
    } finally {
      await server.close();
      tmp.cleanup();
    }
  });

  it('keeps projects apart: the same messageId in two projects is stored once in each', async () => {
    const tmp = tempDir();
    const server = await startTestServer(join(tmp.dir, 'p.duckdb'));
    try {
      const other = await createProject(server.wh, 'other');
      const body = { batch: [{ type: 'track', event: 'e', userId: 'u', messageId: 'same' }] };
      const a = await post(`${server.url}/v1/batch`, body, { writeKey: server.writeKey });
      const b = await post(`${server.url}/v1/batch`, body, { writeKey: other.writeKey });
      expect([a.body.accepted, b.body.accepted]).toEqual([1, 1]);
      const rows = await server.wh.all({ sql: 'SELECT project_id FROM events ORDER BY project_id' });
      expect(rows.map((r) => r.project_id).sort()).toEqual(['default', other.project.projectId].sort());
    } finally {
      await server.close();
      tmp.cleanup();
    }
  });
});
