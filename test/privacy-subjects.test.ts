import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personHash, subjectTarget } from '../src/privacy/index.js';
import { startServer } from '../src/server/index.js';
import { post, startTestServer, tempDir } from './helpers.js';
import { call, directScan, privilegedKey, scanFile } from './privacy-helpers.js';

const tag = () => randomBytes(6).toString('hex');
const T0 = Date.UTC(2024, 2, 1, 10);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/**
 * One person on two devices, and a bystander:
 *
 *   device A: page, track `viewed {secret}`, identify U (links A → U)
 *   device B: identify U (links B → U), track `bought` as U
 *   a rejected track of U (bad timestamp): its raw payload names U
 *   bystander: device C, identify O, track `viewed`
 */
function journey(ids: { u: string; a: string; b: string; c: string; o: string; secret: string }) {
  return [
    {
      type: 'page',
      anonymousId: ids.a,
      timestamp: at(0),
      context: { page: { url: 'https://shop.example/' } },
    },
    {
      type: 'track',
      event: 'viewed',
      anonymousId: ids.a,
      timestamp: at(1),
      properties: { note: ids.secret },
    },
    { type: 'identify', anonymousId: ids.a, userId: ids.u, timestamp: at(2), traits: { plan: 'pro' } },
    { type: 'identify', anonymousId: ids.b, userId: ids.u, timestamp: at(60) },
    { type: 'track', event: 'bought', anonymousId: ids.b, userId: ids.u, timestamp: at(61) },
    { type: 'track', event: 'bad', userId: ids.u, timestamp: 'not a time' },
    { type: 'page', anonymousId: ids.c, timestamp: at(5) },
    { type: 'identify', anonymousId: ids.c, userId: ids.o, timestamp: at(6) },
    { type: 'track', event: 'viewed', userId: ids.o, timestamp: at(7), properties: { note: 'bystander' } },
  ];
}

describe('DSAR export and GDPR erasure', () => {
  const tmp = tempDir();
  const db = `${tmp.dir}/subjects.duckdb`;
  const ids = {
    u: `victim-${tag()}`,
    a: `devA-${tag()}`,
    b: `devB-${tag()}`,
    c: `devC-${tag()}`,
    o: `other-${tag()}`,
    secret: `secret-${tag()}`,
  };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(db);
    admin = await privilegedKey(server.wh);
    const res = await post(`${server.url}/v1/batch`, { batch: journey(ids) }, { writeKey: server.writeKey });
    expect(res.body.accepted).toBe(8);
    await server.processor.whenIdle();
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('exports every row about the person, matching a direct scan of every table', async () => {
    const res = await call(`${server.url}/api/persons/${ids.a}/export`, admin, 'GET');
    expect(res.status).toBe(200);
    const exported = res.body as {
      personId: string;
      ids: string[];
      counts: Record<string, number>;
      tables: Record<string, unknown[]>;
    };
    expect(exported.personId).toBe(ids.u);
    expect(exported.ids).toEqual([ids.a, ids.b, ids.u].sort());
    // Hand count: 5 events, 1 person, 3 distinct ids (U, A, B), the sessions of U (visits at 0 and 60
    // minutes: 2), the rejected payload.
    expect(exported.counts).toMatchObject({
      events: 5,
      persons: 1,
      person_distinct_ids: 3,
      sessions: 2,
      rejected_events: 1,
    });
    const scanned = await directScan(server.wh, [ids.u, ids.a, ids.b]);
    const nonZero = Object.fromEntries(Object.entries(exported.counts).filter(([, n]) => n > 0));
    expect(nonZero).toEqual(scanned);
    expect(JSON.stringify(exported.tables)).toContain(ids.secret);
    expect(JSON.stringify(exported.tables)).not.toContain(ids.o);
  });

  it('needs the export scope', async () => {
    const res = await call(`${server.url}/api/persons/${ids.u}/export`, server.readKey, 'GET');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('PW_AUTH_WRONG_SCOPE');
  });

  it('erases the person so that no byte of their data is left in the file, and logs it without data', async () => {
    await server.wh.checkpoint();
    const needles = [ids.secret, ids.u, ids.a, ids.b];
    const before = scanFile(db, needles);
    // The positive control: the file holds the values before the erasure.
    for (const n of needles) expect(before[n], n).toBeGreaterThan(0);
    const othersBefore = await server.wh.all({
      sql: `SELECT count(*) AS n FROM events WHERE person_id = '${ids.o}'`,
    });

    const res = await call(`${server.url}/api/persons/${ids.u}`, admin, 'DELETE');
    expect(res.status).toBe(200);
    const deletion = (res.body.deletions as { rowCounts: Record<string, number>; personHash: string }[])[0];
    expect(deletion?.rowCounts).toMatchObject({
      events: 5,
      persons: 1,
      person_distinct_ids: 3,
      sessions: 2,
      rejected_events: 1,
    });
    expect(deletion?.personHash).toBe(personHash('default', ids.u));

    expect(scanFile(db, needles)).toEqual(Object.fromEntries(needles.map((n) => [n, 0])));
    expect(await directScan(server.wh, [ids.u, ids.a, ids.b])).toEqual({});
    const othersAfter = await server.wh.all({
      sql: `SELECT count(*) AS n FROM events WHERE person_id = '${ids.o}'`,
    });
    expect(othersAfter).toEqual(othersBefore);
    expect(Number(othersAfter[0]?.n)).toBe(3);
    const log = await server.wh.all({ sql: 'SELECT * FROM person_deletions' });
    expect(log).toHaveLength(1);
    expect(log[0]?.person_hash).toBe(personHash('default', ids.u));
    expect(String(log[0]?.requested_by)).toMatch(/^key:k_/);
    // The audit log keeps every request about the person, naming them by hash only.
    const audited = await server.wh.all({
      sql: `SELECT action, target, status FROM audit_log WHERE action LIKE '% /api/persons/%' ORDER BY seq`,
    });
    expect(audited).toContainEqual({
      action: 'GET /api/persons/:id/export',
      target: subjectTarget('default', ids.a),
      status: 200,
    });
    expect(audited).toContainEqual({
      action: 'DELETE /api/persons/:id',
      target: `person:${personHash('default', ids.u)}`,
      status: 200,
    });
  });

  it('answers 404 for a person it does not know', async () => {
    const res = await call(`${server.url}/api/persons/${ids.u}`, admin, 'DELETE');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PW_PERSON_NOT_FOUND');
  });
});

describe('opt-out', () => {
  const tmp = tempDir();
  const db = `${tmp.dir}/optout.duckdb`;
  const ids = {
    u: `u-${tag()}`,
    a: `a-${tag()}`,
    b: `b-${tag()}`,
    c: `c-${tag()}`,
    w: `w-${tag()}`,
    d: `d-${tag()}`,
    e: `e-${tag()}`,
  };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: string;
  const stored = async (messageIds: string[]) =>
    (
      await server.wh.all({
        sql: 'SELECT message_id FROM events WHERE message_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY 1',
        params: [messageIds],
      })
    ).map((r) => String(r.message_id));
  const track = (id: string, who: { anonymousId?: string; userId?: string }, event = 'clicked') => ({
    type: 'track',
    event,
    messageId: id,
    ...who,
  });

  beforeAll(async () => {
    server = await startTestServer(db);
    admin = await privilegedKey(server.wh);
    const history = [
      { type: 'page', anonymousId: ids.a },
      { type: 'identify', anonymousId: ids.a, userId: ids.u },
      { type: 'identify', anonymousId: ids.b, userId: ids.u },
    ];
    await post(`${server.url}/v1/batch`, { batch: history }, { writeKey: server.writeKey });
    await server.processor.whenIdle();
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('drops new events of every distinct id of an opted-out person, and learns new devices', async () => {
    const res = await call(`${server.url}/api/persons/${ids.u}/opt-out`, admin, 'POST');
    expect(res.status).toBe(200);
    expect(res.body.ids).toEqual([ids.a, ids.b, ids.u].sort());
    const first = [
      track('m1', { anonymousId: ids.a }),
      track('m2', { anonymousId: ids.b }),
      track('m3', { userId: ids.u }),
      track('m4', { userId: ids.u, anonymousId: ids.c }),
    ];
    const r1 = await post(`${server.url}/v1/batch`, { batch: first }, { writeKey: server.writeKey });
    // Accepted as sent: a public write key must not tell who opted out.
    expect(r1.body).toMatchObject({ received: 4, accepted: 4 });
    const second = [
      track('m5', { anonymousId: ids.c }),
      track('m6', { anonymousId: ids.a, userId: ids.w }),
      track('m7', { anonymousId: ids.d }),
    ];
    await post(`${server.url}/v1/batch`, { batch: second }, { writeKey: server.writeKey });
    // m5: device C joined the opt-out with m4; m6 carries another user id, so it is that user's.
    expect(await stored(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'])).toEqual(['m6', 'm7']);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/pathwise_events_opted_out_total\{project="default"\} 5/);
    const counted = await server.wh.all({ sql: 'SELECT sum(events) AS n FROM opt_out_drops' });
    expect(Number(counted[0]?.n)).toBe(5);
  });

  it('takes an opt-out from the SDK ($opt_out) and an opt-in from an identify trait', async () => {
    const batch = [
      track('s1', { anonymousId: ids.e }, '$opt_out'),
      track('s2', { anonymousId: ids.e }),
      { type: 'identify', messageId: 's3', anonymousId: ids.e, traits: { pathwise_opt_out: false } },
      track('s4', { anonymousId: ids.e }),
    ];
    await post(`${server.url}/v1/batch`, { batch }, { writeKey: server.writeKey });
    expect(await stored(['s1', 's2', 's3', 's4'])).toEqual(['s3', 's4']);
  });

  it('keeps honouring the opt-out after a restart', async () => {
    await server.close();
    const again = await startServer({ db, port: 0, host: '127.0.0.1' });
    try {
      await post(
        `${again.url}/v1/batch`,
        { batch: [track('r1', { anonymousId: ids.b })] },
        { writeKey: server.writeKey },
      );
      const rows = await again.wh.all({ sql: "SELECT count(*) AS n FROM events WHERE message_id = 'r1'" });
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await again.close();
    }
    server = await startServer({ db, port: 0, host: '127.0.0.1' }).then((s) => ({
      ...s,
      writeKey: server.writeKey,
      readKey: server.readKey,
    }));
  });
});
