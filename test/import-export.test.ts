import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestWriter, importFile, startIngest } from '../src/ingest/index.js';
import { ensureDefaultProject, exportEvents, openWarehouse, type Warehouse } from '../src/store/index.js';
import { tempDir } from './helpers.js';

/*
 * JSONL fixture (Segment archive lines), hand-written:
 *
 * | line | what                                         | expected                                   |
 * |------|----------------------------------------------|--------------------------------------------|
 * | 1    | track, receivedAt, sentAt 2 s after ts       | ts = receivedAt − 2 s = 2026-03-01T09:59:58Z |
 * | 2    | page with no receivedAt, ts 2026-03-01T11:00 | kept as sent                               |
 * | 3    | not JSON                                     | rejected: malformed_json                   |
 * | 4    | track without event                          | rejected: missing_event                    |
 * | 5    | duplicate of line 1's messageId              | duplicate                                  |
 * | 6    | identify with originalTimestamp (device 1h ahead), sentAt, receivedAt | ts = receivedAt − (sentAt − originalTimestamp) |
 */
const JSONL = [
  '{"type":"track","event":"Signed Up","userId":"u1","messageId":"j1","timestamp":"2026-03-01T12:00:00.000Z","sentAt":"2026-03-01T12:00:02.000Z","receivedAt":"2026-03-01T10:00:00.000Z"}',
  '{"type":"page","anonymousId":"a1","messageId":"j2","timestamp":"2026-03-01T11:00:00.123456Z","properties":{"url":"https://example.com/pricing"}}',
  '{"type":"track", nope',
  '{"type":"track","userId":"u1","messageId":"j4"}',
  '{"type":"track","event":"Signed Up","userId":"u1","messageId":"j1","timestamp":"2026-03-01T12:00:00.000Z"}',
  '{"type":"identify","userId":"u2","messageId":"j6","timestamp":"2026-03-01T13:00:00.000Z","originalTimestamp":"2026-03-01T14:00:00.000Z","sentAt":"2026-03-01T14:00:05.000Z","receivedAt":"2026-03-01T13:00:06.000Z","traits":{"plan":"pro"}}',
].join('\n');

const CSV = [
  'event,user_id,anonymous_id,timestamp,message_id,revenue,coupon,is_gift',
  'Order Completed,u1,,2026-03-02T08:00:00Z,c1,19.99,SPRING,true',
  'Order Completed,,a9,2026-03-02T09:00:00Z,c2,5,,false',
  ',u3,,2026-03-02T10:00:00Z,c3,1,,false',
].join('\n');

describe('file import and export', () => {
  const tmp = tempDir();
  let wh: Warehouse;
  let writer: IngestWriter;

  beforeAll(async () => {
    wh = await openWarehouse({ path: join(tmp.dir, 'i.duckdb') });
    await ensureDefaultProject(wh);
    writer = await startIngest(wh);
  });
  afterAll(async () => {
    await writer.close();
    await wh.close();
    tmp.cleanup();
  });

  it('imports JSONL through validation, dedup and receipt-time skew correction', async () => {
    const file = join(tmp.dir, 'a.jsonl.gz');
    writeFileSync(file, gzipSync(JSONL));
    const summary = await importFile(wh, writer, file, { projectId: 'default' });
    expect(summary).toMatchObject({
      format: 'jsonl',
      records: 6,
      imported: 3,
      duplicates: 1,
      rejected: 2,
      rejectedByReason: { malformed_json: 1, missing_event: 1 },
    });
    const rows = await wh.all({
      sql: "SELECT message_id, timestamp FROM events WHERE message_id LIKE 'j%' ORDER BY 1",
    });
    expect(rows).toEqual([
      { message_id: 'j1', timestamp: '2026-03-01T09:59:58.000000Z' },
      { message_id: 'j2', timestamp: '2026-03-01T11:00:00.123456Z' },
      { message_id: 'j6', timestamp: '2026-03-01T13:00:01.000000Z' },
    ]);
    const rejected = await wh.all({
      sql: "SELECT batch_index, code FROM rejected_events WHERE source LIKE 'import:%' ORDER BY 1",
    });
    expect(rejected).toEqual([
      { batch_index: 3, code: 'malformed_json' },
      { batch_index: 4, code: 'missing_event' },
    ]);
  });

  it('re-importing the same file stores nothing new (dedup against the whole table)', async () => {
    const file = join(tmp.dir, 'a.jsonl.gz');
    const summary = await importFile(wh, writer, file, { projectId: 'default' });
    expect(summary).toMatchObject({ imported: 0, duplicates: 4 });
  });

  it('imports CSV with named columns and typed properties', async () => {
    const file = join(tmp.dir, 'b.csv');
    writeFileSync(file, CSV);
    const summary = await importFile(wh, writer, file, { projectId: 'default' });
    expect(summary).toMatchObject({ format: 'csv', records: 3, imported: 2, rejected: 1 });
    const rows = await wh.all({
      sql: "SELECT distinct_id, properties FROM events WHERE message_id IN ('c1', 'c2') ORDER BY 1",
    });
    expect(rows.map((r) => [r.distinct_id, JSON.parse(String(r.properties))])).toEqual([
      ['a9', { revenue: 5, is_gift: false }],
      ['u1', { revenue: 19.99, coupon: 'SPRING', is_gift: true }],
    ]);
  });

  it('round-trips events through Parquet, CSV and JSONL exports with identical timestamps', async () => {
    const original = await wh.all({
      sql: 'SELECT message_id, event, timestamp, distinct_id, properties FROM events ORDER BY message_id',
    });
    for (const format of ['parquet', 'csv', 'jsonl'] as const) {
      const out = join(tmp.dir, `export.${format}`);
      const n = await exportEvents(wh, { projectId: 'default', format, out });
      expect(n).toBe(original.length);
      const copy = await openWarehouse({ path: join(tmp.dir, `copy-${format}.duckdb`) });
      const copyWriter = await startIngest(copy);
      try {
        await ensureDefaultProject(copy);
        const summary = await importFile(copy, copyWriter, out, { projectId: 'default' });
        expect(summary.imported).toBe(original.length);
        const again = await copy.all({
          sql: 'SELECT message_id, event, timestamp, distinct_id, properties FROM events ORDER BY message_id',
        });
        expect(again).toEqual(original);
      } finally {
        await copyWriter.close();
        await copy.close();
      }
    }
  });

  it('exports a half-open time range', async () => {
    const out = join(tmp.dir, 'range.jsonl');
    const n = await exportEvents(wh, {
      projectId: 'default',
      format: 'jsonl',
      out,
      fromUs: Date.parse('2026-03-01T11:00:00.123456Z') * 1000 + 456,
      toUs: Date.parse('2026-03-02T08:00:00Z') * 1000,
    });
    expect(n).toBe(2);
  });
});
