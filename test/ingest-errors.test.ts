import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestServer, tempDir } from './helpers.js';

/*
 * Error cases of the ingestion edge. Each test uses its own distinct ids so that counts in the
 * shared store are independent. Limits: 32 KB per event, 500 KB per body (after decompression),
 * timestamps from 2000-01-01 to 24 h after receipt.
 */
describe('bad input gets a clear error and loses nothing', () => {
  const tmp = tempDir();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const count = async (sql: string, params: string[] = []) =>
    Number((await server.wh.all({ sql, params }))[0]?.n ?? -1);

  beforeAll(async () => {
    server = await startTestServer(join(tmp.dir, 'p.duckdb'));
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('reports each invalid event of a batch with its index and reason, and stores the valid ones', async () => {
    const now = new Date().toISOString();
    const batch = [
      { type: 'track', event: 'ok-1', userId: 'b1', messageId: 'b-0' },
      { type: 'track', event: 'no identity', messageId: 'b-1' },
      { type: 'track', userId: 'b1', messageId: 'b-2' },
      {
        type: 'track',
        event: 'big',
        userId: 'b1',
        messageId: 'b-3',
        properties: { blob: 'x'.repeat(33 * 1024) },
      },
      { type: 'track', event: 'old', userId: 'b1', messageId: 'b-4', timestamp: '1999-12-31T23:59:59Z' },
      { type: 'track', event: 'future', userId: 'b1', messageId: 'b-5', timestamp: '2099-01-01T00:00:00Z' },
      { type: 'track', event: 42, userId: 'b1', messageId: 'b-6' },
      { type: 'identify', userId: 'b1', messageId: 'b-7', traits: { name: 'B' }, timestamp: now },
      'not an object',
    ];
    const res = await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 9, accepted: 2, duplicates: 0 });
    const rejected = res.body.rejected as { index: number; code: string }[];
    expect(rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'missing_identity'],
      [2, 'missing_event'],
      [3, 'event_too_large'],
      [4, 'timestamp_too_old'],
      [5, 'timestamp_in_future'],
      [6, 'invalid_type'],
      [8, 'not_an_object'],
    ]);
    expect(await count("SELECT count(*) AS n FROM events WHERE message_id IN ('b-0', 'b-7')")).toBe(2);
    expect(await count("SELECT count(*) AS n FROM events WHERE message_id LIKE 'b-%'")).toBe(2);
    const kept = await server.wh.all({
      sql: "SELECT batch_index, code, raw FROM rejected_events WHERE source = 'http:batch' ORDER BY batch_index",
    });
    expect(kept.map((r) => r.batch_index)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(JSON.parse(String(kept[0]?.raw))).toEqual(batch[1]);
  });

  it('answers 400 with the parse error for malformed JSON and keeps the raw body', async () => {
    const res = await post(`${server.url}/v1/batch`, null, {
      writeKey: server.writeKey,
      rawBody: '{"batch": [',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PW_INGEST_MALFORMED_JSON');
    expect(String(res.body.message)).toMatch(/JSON/);
    const kept = await server.wh.all({
      sql: "SELECT raw FROM rejected_events WHERE code = 'malformed_json'",
    });
    expect(kept.map((r) => r.raw)).toEqual(['{"batch": [']);
  });

  it('answers 413 to a body over 500 KB and stores nothing of it', async () => {
    const batch = Array.from({ length: 60 }, (_, i) => ({
      type: 'track',
      event: 'large',
      userId: 'big-body',
      messageId: `big-${i}`,
      properties: { pad: 'y'.repeat(9000) },
    }));
    const res = await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PW_INGEST_BODY_TOO_LARGE');
    expect(await count("SELECT count(*) AS n FROM events WHERE distinct_id = 'big-body'")).toBe(0);
  });

  it('stops a gzip bomb at 500 KB decompressed with 413', async () => {
    const bomb = gzipSync(
      Buffer.from(`{"batch":[{"type":"track","event":"${'z'.repeat(20 * 1024 * 1024)}"}]}`),
    );
    expect(bomb.length).toBeLessThan(100 * 1024);
    const res = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Basic ${Buffer.from(`${server.writeKey}:`).toString('base64')}`,
      },
      body: bomb,
    });
    expect(res.status).toBe(413);
    const rss = process.memoryUsage().rss;
    expect(rss).toBeLessThan(2 * 1024 * 1024 * 1024);
  });

  it('accepts a gzipped batch', async () => {
    const batch = [{ type: 'track', event: 'zipped', userId: 'gz', messageId: 'gz-1' }];
    const res = await post(
      `${server.url}/v1/batch`,
      { batch },
      { writeKey: server.writeKey, isGzipped: true },
    );
    expect(res.status).toBe(200);
    expect(await count("SELECT count(*) AS n FROM events WHERE distinct_id = 'gz'")).toBe(1);
  });

  it('answers 400 naming the reason when the single event of /v1/track is invalid', async () => {
    const res = await post(
      `${server.url}/v1/track`,
      { userId: 'single', messageId: 's-1' },
      { writeKey: server.writeKey },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PW_INGEST_ALL_REJECTED');
    expect((res.body.details as { rejected: { code: string }[] }).rejected[0]?.code).toBe('missing_event');
  });

  it('takes the write key from the body when there is no Basic header', async () => {
    const batch = [{ type: 'track', event: 'bodykey', userId: 'bk', messageId: 'bk-1' }];
    const res = await post(`${server.url}/v1/batch`, { batch, writeKey: server.writeKey });
    expect(res.status).toBe(200);
    const missing = await post(`${server.url}/v1/batch`, { batch });
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('PW_AUTH_MISSING_KEY');
  });

  it('refuses the read key for ingestion with 403', async () => {
    const res = await post(
      `${server.url}/v1/track`,
      { userId: 'r', event: 'e' },
      { writeKey: server.readKey },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('PW_AUTH_WRONG_SCOPE');
  });

  it('corrects clock skew: timestamp = receivedAt − (sentAt − timestamp)', async () => {
    const skewMs = 3_600_000;
    const clientNow = Date.now() + skewMs;
    const batch = [
      {
        type: 'track',
        event: 'skewed',
        userId: 'sk',
        messageId: 'sk-1',
        timestamp: new Date(clientNow - 10_000).toISOString(),
        sentAt: new Date(clientNow).toISOString(),
      },
    ];
    const res = await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(res.status).toBe(200);
    const [row] = await server.wh.all({
      sql: "SELECT epoch_us(timestamp) AS ts, epoch_us(received_at) AS rec FROM events WHERE message_id = 'sk-1'",
    });
    expect(Number(row?.rec) - Number(row?.ts)).toBe(10_000_000);
  });

  it('never crashes on hostile input and still serves afterwards', async () => {
    const bodies = ['null', '[]', '42', '"x"', '{"batch": {}}', '{"batch": null}', '{}', '\u0000\u0001'];
    for (const rawBody of bodies) {
      const res = await post(`${server.url}/v1/batch`, null, { writeKey: server.writeKey, rawBody });
      expect([400, 401]).toContain(res.status);
    }
    const kept = await server.wh.all({
      sql: "SELECT count(*) AS n FROM rejected_events WHERE reason LIKE '/batch:%'",
    });
    expect(kept[0]?.n).toBe(7);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
